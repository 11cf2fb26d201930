import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command, CommandIO } from '../command.ts';
import { REPO_ROOT } from '../config/load-settings.ts';

function run(script: string, args: string[], io: CommandIO): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, env: io.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

interface VitestSummary {
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{ status: string; assertionResults: Array<{ status: string }> }>;
  numPendingTests: number;
  numTodoTests: number;
}

export const testCommand: Command = {
  name: 'test',
  summary: 'Type-check and run the whole test suite (unit, integration on real Kafka and chDB, end to end)',
  help: `
Usage: gatehouse test [VITEST ARGS...]

Type-checks the project (tsc --noEmit), then runs every test with vitest and ends with one line
"Tests: N passed, N failed, N skipped". The suite starts its own single-node Kafka broker on
127.0.0.1 (Java 17 and Maven are needed; the Kafka jars are resolved once into a cache) and
opens chDB stores in temporary directories.

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
    const reportDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-test-report-'));
    try {
      const report = path.join(reportDir, 'vitest.json');
      const code = await run('node_modules/vitest/vitest.mjs', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], io);
      const summary = JSON.parse(await readFile(report, 'utf8').catch(() => 'null')) as VitestSummary | null;
      if (summary) {
        // A file whose setup failed reports its tests as skipped; it counts here as one failure.
        const brokenFiles = summary.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')).length;
        const failed = summary.numFailedTests + brokenFiles;
        io.stdout.write(`Tests: ${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests + summary.numTodoTests} skipped\n`);
      }
      return code;
    } finally {
      await rm(reportDir, { recursive: true, force: true });
    }
  },
};
