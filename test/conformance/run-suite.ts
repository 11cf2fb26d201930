import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readSuiteResults, type ScenarioResult } from './suite-results.ts';

export type ConformanceRevision = '2025-11-25' | '2026-07-28';

/**
 * The installed releases of @modelcontextprotocol/conformance (package.json aliases):
 * `mcp-conformance-2025` is 0.1.16, `mcp-conformance-2026` the 0.2.0 alpha. The alpha also runs
 * the 2025-11-25 wire, with more scenarios (session lifecycle) and per-message schema checks.
 */
export type ConformanceSuitePackage = 'mcp-conformance-2025' | 'mcp-conformance-2026';

export const DEFAULT_SUITE_PACKAGE: Record<ConformanceRevision, ConformanceSuitePackage> = {
  '2025-11-25': 'mcp-conformance-2025',
  '2026-07-28': 'mcp-conformance-2026',
};

export interface RunConformanceSuiteOptions {
  revision: ConformanceRevision;
  /** The MCP endpoint under test. */
  url: string;
  /** Where the suite writes one directory per scenario; created when missing. Use a fresh one per run. */
  outputDir: string;
  suitePackage?: ConformanceSuitePackage;
  /** Runs only this scenario. */
  scenario?: string;
  /** The whole run is killed after this long (default 5 minutes); the results written so far are still read. */
  timeoutMs?: number;
  /** Per-scenario limit, passed to suites that accept one (the alpha; 0.1.16 has a fixed 60 s request timeout). */
  scenarioTimeoutMs?: number;
}

export interface SuiteRun {
  revision: ConformanceRevision;
  suitePackage: ConformanceSuitePackage;
  suiteVersion: string;
  url: string;
  results: ScenarioResult[];
  /** The suite's exit code (non-zero when a scenario failed); null when it was killed. */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** The end of the suite's own output, to diagnose a run that crashed or timed out. */
  outputTail: string;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const OUTPUT_TAIL_CHARS = 4_000;

const PackageJsonSchema = z.object({ version: z.string(), bin: z.object({ conformance: z.string() }) });

function suiteEntry(suitePackage: ConformanceSuitePackage): { script: string; version: string } {
  const manifestPath = createRequire(import.meta.url).resolve(`${suitePackage}/package.json`);
  const manifest = PackageJsonSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return { script: join(dirname(manifestPath), manifest.bin.conformance), version: manifest.version };
}

/** The suite's command line: every server scenario of the revision, pending ones included (`--suite all`). */
export function suiteArguments(options: RunConformanceSuiteOptions, suitePackage: ConformanceSuitePackage): string[] {
  const args = ['server', '--url', options.url, '--spec-version', options.revision, '--suite', 'all', '-o', options.outputDir];
  if (options.scenario !== undefined) args.push('--scenario', options.scenario);
  if (options.scenarioTimeoutMs !== undefined && suitePackage === 'mcp-conformance-2026') args.push('--timeout', String(options.scenarioTimeoutMs));
  return args;
}

/**
 * Runs the official conformance suite against `url` as a child process and returns what each
 * scenario showed. The child always ends: it is killed (SIGKILL) after `timeoutMs`.
 */
export async function runConformanceSuite(options: RunConformanceSuiteOptions): Promise<SuiteRun> {
  const suitePackage = options.suitePackage ?? DEFAULT_SUITE_PACKAGE[options.revision];
  const { script, version } = suiteEntry(suitePackage);
  await mkdir(options.outputDir, { recursive: true });
  const started = performance.now();

  const child = spawn(process.execPath, [script, ...suiteArguments(options, suitePackage)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      keepTail(Buffer.from(`\ncould not start the suite: ${error.message}\n`));
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  }).finally(() => clearTimeout(timer));

  return {
    revision: options.revision,
    suitePackage,
    suiteVersion: version,
    url: options.url,
    results: await readSuiteResults(options.outputDir),
    exitCode,
    timedOut,
    durationMs: Math.round(performance.now() - started),
    outputTail: output,
  };
}
