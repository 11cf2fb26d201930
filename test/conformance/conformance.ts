/**
 * `npm run conformance`: the official MCP conformance suite against the fixture server, directly
 * and through the whole embedded pipeline placed in front of it, with a per-scenario table. Exits 1 on
 * a direct failure that is not in EXPECTED_FAILURES, on a stale entry there, on a suite run that
 * crashed or timed out, and on any regression through the gateway.
 *
 *   node test/conformance/conformance.ts [--output DIR]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns, type Regression } from './compare-runs.ts';
import { directVerdict, formatReport, gatewayVerdict, staleExpectedFailures, type ExpectedFailure, type ReportRow } from './conformance-report.ts';
import { startConformanceFixture } from './fixture-server.ts';
import { startGatewayInFront } from './gateway-in-front.ts';
import { runConformanceSuite, type ConformanceRevision, type ConformanceSuitePackage, type SuiteRun } from './run-suite.ts';

/** One run of the suite: a release of it at one protocol revision's wire. */
export interface ConformanceLeg {
  name: string;
  revision: ConformanceRevision;
  suitePackage: ConformanceSuitePackage;
}

export const CONFORMANCE_LEGS: ConformanceLeg[] = [
  { name: '2025-11-25', revision: '2025-11-25', suitePackage: 'mcp-conformance-2025' },
  // The alpha at the 2025 wire adds session lifecycle (DELETE, 404 after it), SSE resumption with
  // the negotiated protocol-version header, and a schema check of every message on the wire.
  { name: '2025-11-25/alpha', revision: '2025-11-25', suitePackage: 'mcp-conformance-2026' },
  { name: '2026-07-28', revision: '2026-07-28', suitePackage: 'mcp-conformance-2026' },
];

/** The leg's directory name under a run's output directory. */
export const legDirectory = (leg: ConformanceLeg): string => leg.name.replaceAll('/', '-');

/**
 * Scenarios allowed to fail against the fixture directly, each with its reason. Empty: the fixture
 * passes every non-extension server scenario of both revisions. A scenario that starts failing
 * must be fixed or listed here with why; an entry that passes again must be removed.
 */
export const EXPECTED_FAILURES: ExpectedFailure[] = [];

/** Puts a gateway in front of the fixture and returns the MCP URL clients use; close() stops it. */
export type GatewayLeg = (fixtureUrl: string) => Promise<{ url: string; close(): Promise<void> }>;

export interface ConformanceOutcome {
  direct: SuiteRun[];
  throughGateway: SuiteRun[];
  rows: ReportRow[];
  regressions: Regression[];
  /** Why the run fails; empty when it passes. */
  problems: string[];
}

/** Runs one leg's suite against `url`, writing its results under `outputRoot`. */
export function runLeg(leg: ConformanceLeg, url: string, outputRoot: string): Promise<SuiteRun> {
  const outputDir = join(outputRoot, legDirectory(leg));
  return runConformanceSuite({ revision: leg.revision, suitePackage: leg.suitePackage, url, outputDir, scenarioTimeoutMs: 30_000, timeoutMs: 240_000 });
}

async function runLegs(url: string, outputRoot: string, target: string): Promise<SuiteRun[]> {
  const runs: SuiteRun[] = [];
  for (const leg of CONFORMANCE_LEGS) runs.push(await runLeg(leg, url, join(outputRoot, target)));
  return runs;
}

function runProblems(target: string, leg: ConformanceLeg, run: SuiteRun): string[] {
  if (run.timedOut) return [`${target} ${leg.name}: the suite did not finish in time; last output:\n${run.outputTail}`];
  if (run.results.length === 0) return [`${target} ${leg.name}: the suite wrote no results (exit code ${run.exitCode}); last output:\n${run.outputTail}`];
  return [];
}

export async function runConformance(options: { outputRoot: string; gateway?: GatewayLeg }): Promise<ConformanceOutcome> {
  const fixture = await startConformanceFixture();
  const outcome: ConformanceOutcome = { direct: [], throughGateway: [], rows: [], regressions: [], problems: [] };
  try {
    outcome.direct = await runLegs(fixture.url, options.outputRoot, 'direct');
    CONFORMANCE_LEGS.forEach((leg, index) => {
      const run = outcome.direct[index]!;
      outcome.problems.push(...runProblems('direct', leg, run));
      for (const result of run.results) {
        const verdict = directVerdict(EXPECTED_FAILURES, leg.name, result);
        outcome.rows.push({ target: 'direct', leg: leg.name, result, verdict });
        if (verdict === 'FAIL') outcome.problems.push(`direct ${leg.name} ${result.scenario} failed and is not an expected failure`);
      }
      for (const stale of staleExpectedFailures(EXPECTED_FAILURES, leg.name, run.results)) {
        outcome.problems.push(`${leg.name} ${stale.scenario} passes now: remove it from EXPECTED_FAILURES`);
      }
    });

    if (options.gateway) {
      const gateway = await options.gateway(fixture.url);
      try {
        outcome.throughGateway = await runLegs(gateway.url, options.outputRoot, 'gateway');
      } finally {
        await gateway.close();
      }
      CONFORMANCE_LEGS.forEach((leg, index) => {
        const run = outcome.throughGateway[index]!;
        outcome.problems.push(...runProblems('gateway', leg, run));
        const regressions = compareRuns(outcome.direct[index]!.results, run.results).map((regression) => ({ ...regression, leg: leg.name }));
        outcome.regressions.push(...regressions);
        for (const result of run.results) outcome.rows.push({ target: 'gateway', leg: leg.name, result, verdict: gatewayVerdict(regressions, result) });
        for (const regression of regressions) outcome.problems.push(`gateway ${leg.name} ${regression.scenario} regressed (${regression.reasons.join(', ')})`);
      });
    }
  } finally {
    await fixture.close();
  }
  return outcome;
}

function outputArgument(argv: string[]): string | undefined {
  const index = argv.indexOf('--output');
  if (index < 0) return undefined;
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error('GH_ERR_CLI_USAGE: --output expects a directory');
  return value;
}

if (import.meta.main) {
  const outputRoot = outputArgument(process.argv.slice(2)) ?? (await mkdtemp(join(tmpdir(), 'gatehouse-conformance-')));
  const outcome = await runConformance({ outputRoot, gateway: (fixtureUrl) => startGatewayInFront(fixtureUrl) });
  console.log(formatReport(outcome.rows, outcome.regressions));
  for (const run of [...outcome.direct, ...outcome.throughGateway]) {
    console.log(`suite ${run.suitePackage}@${run.suiteVersion} at ${run.revision} against ${run.url}: ${run.results.length} scenarios in ${(run.durationMs / 1000).toFixed(1)} s`);
  }
  console.log(`results: ${outputRoot}`);
  if (outcome.problems.length > 0) {
    console.error(['', 'Conformance failed:', ...outcome.problems.map((problem) => `  ${problem}`)].join('\n'));
    process.exitCode = 1;
  }
}
