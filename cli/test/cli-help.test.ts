import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.ts';
import { REPO_ROOT } from '../src/config/load-settings.ts';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'cli', 'src', 'main.ts');
const gatehouse = (args: string[], cwd = REPO_ROOT) => run(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' } });

describe('the gatehouse command line', () => {
  it('lists every command in --help', async () => {
    const { stdout } = await gatehouse(['--help']);
    for (const command of commands) expect(stdout).toContain(`  ${command.name}`);
  });

  it.each(commands.map((command) => command.name))('documents "%s" with --help', async (name) => {
    const { stdout } = await gatehouse([name, '--help']);
    expect(stdout).toMatch(new RegExp(`^Usage: gatehouse ${name}`));
  });

  it.each(commands.flatMap((command) => (command.subcommands ?? []).map((subcommand) => [command.name, subcommand.name])))(
    'documents "%s %s" with --help',
    async (name, subcommand) => {
      const { stdout } = await gatehouse([name, subcommand, '--help']);
      expect(stdout).toMatch(new RegExp(`^Usage: gatehouse ${name} ${subcommand}`));
    },
  );

  it('ends quietly, as on SIGPIPE, when the reader of its output has gone', async () => {
    const child = spawn(process.execPath, [CLI, '--help'], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the command writes: its first write finds no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });

  it('answers an unknown command and a bad option with exit code 2 and a hint', async () => {
    await expect(gatehouse(['launch'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "launch"') });
    await expect(gatehouse(['start', '--prot', '1'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('gatehouse start --help') });
    await expect(gatehouse(['start', '--port', 'x'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--port "x" is not a port number') });
  });

  it('config check accepts the example and rejects a broken file, naming the path and the fix', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-config-check-'));
    try {
      const ok = await run(process.execPath, [CLI, 'config', 'check', path.join(REPO_ROOT, 'gatehouse.example.yaml')], {
        env: { PATH: '', GATEHOUSE_DEV_TOKEN: 'x', TICKETS_UPSTREAM_AUTH: 'y' },
      });
      expect(ok.stdout).toMatch(/OK — 1 portal\(s\), 2 server\(s\), 1 token\(s\)/);

      const broken = path.join(dir, 'gatehouse.yaml');
      await writeFile(broken, 'portals:\n  - name: Main Portal\n    servers: []\n');
      const failure = await gatehouse(['config', 'check', broken]).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 1 });
      expect((failure as { stderr: string }).stderr).toContain(`${broken} is not a valid Gatehouse config`);
      expect((failure as { stderr: string }).stderr).toContain('portals[0].name: use lowercase letters');
      expect((failure as { stderr: string }).stderr).toContain('portals[0].servers: a portal needs at least one server');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('distributed roles refuse to start without Kafka, saying how to fix it', async () => {
    const failure = await run(process.execPath, [CLI, 'dlp-worker', '--config', path.join(REPO_ROOT, 'gatehouse.example.yaml')], {
      env: { PATH: '', GATEHOUSE_DEV_TOKEN: 'x', TICKETS_UPSTREAM_AUTH: 'y' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('set KAFKA_BROKERS=host:port') });
  });
});
