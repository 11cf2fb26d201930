import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from '../command.ts';
import { REPO_ROOT } from '../config/load-settings.ts';

function run(script: string, args: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, env: io.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const testCommand: Command = {
  name: 'test',
  summary: 'Type-check and run the whole test suite (unit, integration on real Kafka and chDB, end to end)',
  help: `
Usage: gatehouse test [VITEST ARGS...]

Type-checks the project (tsc --noEmit), then runs every test with vitest. The suite starts its
own single-node Kafka broker on 127.0.0.1 (Java 17 and Maven are needed; the Kafka jars are
resolved once into a cache) and opens chDB stores in temporary directories.

Arguments after "test" go to vitest, e.g. "gatehouse test gateway/" runs the gateway's tests only
(the type-check is skipped when arguments are given).
`,
  async run(args, io) {
    if (args.length === 0) {
      io.stdout.write('gatehouse test: type-checking…\n');
      const typecheck = await run('node_modules/typescript/bin/tsc', ['--noEmit', '-p', REPO_ROOT], io);
      if (typecheck !== 0) {
        io.stderr.write('gatehouse test: the type-check failed; fix the errors above.\n');
        return typecheck;
      }
    }
    return run('node_modules/vitest/vitest.mjs', ['run', ...args], io);
  },
};
