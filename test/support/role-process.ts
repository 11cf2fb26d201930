import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';

export interface RoleProcess {
  child: ChildProcess;
  /** What the process wrote to stdout and stderr so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `gatehouse <role>` as its own process, as in production, and resolves once its stdout
 * matches `ready` (the line each role prints when it takes work).
 */
export async function startRoleProcess(
  role: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 60_000,
  cwd = REPO_ROOT,
): Promise<RoleProcess & { match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'cli', 'src', 'main.ts'), role, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr.slice(-4000)}`;

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`gatehouse ${role} was not ready within ${timeoutMs} ms\n${output()}`)), timeoutMs);
    const check = () => {
      const found = stdout.match(ready);
      if (found) finish(undefined, found);
    };
    const onExit = (code: number | null) => finish(new Error(`gatehouse ${role} exited with ${code} before it was ready\n${output()}`));
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    function finish(error?: Error, found?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(found!);
    }
  });

  return {
    child,
    match,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
