import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** rsyslogd from the Debian package (`apt-get install rsyslog`; .ci/run installs it), or undefined. */
export function findRsyslogd(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin'];
  return dirs.map((dir) => path.join(dir, 'rsyslogd')).find((candidate) => existsSync(candidate));
}

export interface Rsyslog {
  port: number;
  /** Every message received so far, one line each: `app-name|msgid|structured-data|hostname|severity|msg`. */
  lines(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A real rsyslogd as a child process: imtcp on a free 127.0.0.1 port (it writes the port it bound
 * to a file), each message written to a file through a template that shows how rsyslog parsed it.
 */
export async function startRsyslog(rsyslogd: string, dir: string): Promise<Rsyslog> {
  const portFile = path.join(dir, 'port');
  const output = path.join(dir, 'messages.log');
  const config = `
global(workDirectory="${dir}" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="${portFile}" ruleset="received")
template(name="parsed" type="string" string="%app-name%|%msgid%|%structured-data%|%hostname%|%syslogseverity%|%msg%\\n")
ruleset(name="received") { action(type="omfile" file="${output}" template="parsed") }
`;
  const configFile = path.join(dir, 'rsyslog.conf');
  await writeFile(configFile, config);
  const child: ChildProcess = spawn(rsyslogd, ['-n', '-f', configFile, '-i', path.join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 20_000;
  let port = 0;
  while (!port) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`rsyslogd did not write ${portFile} within 20 s: ${stderr}`);
    port = Number((await readFile(portFile, 'utf8').catch(() => '')).trim());
    if (!port) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    async lines() {
      const text = await readFile(output, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
