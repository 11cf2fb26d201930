import type { Regression } from './compare-runs.ts';
import { describeRegression } from './compare-runs.ts';
import type { ScenarioResult } from './suite-results.ts';

/** A scenario that is allowed to fail directly against the fixture, and why. */
export interface ExpectedFailure {
  leg: string;
  scenario: string;
  reason: string;
}

export type Verdict = 'pass' | 'FAIL' | 'expected failure' | 'REGRESSION';

export interface ReportRow {
  target: string;
  leg: string;
  result: ScenarioResult;
  verdict: Verdict;
}

const isExpected = (expected: ExpectedFailure[], leg: string, scenario: string) => expected.some((entry) => entry.leg === leg && entry.scenario === scenario);

export function directVerdict(expected: ExpectedFailure[], leg: string, result: ScenarioResult): Verdict {
  if (result.failed === 0) return 'pass';
  return isExpected(expected, leg, result.scenario) ? 'expected failure' : 'FAIL';
}

export function gatewayVerdict(regressions: Regression[], result: ScenarioResult): Verdict {
  if (regressions.some((regression) => regression.scenario === result.scenario)) return 'REGRESSION';
  return result.failed === 0 ? 'pass' : 'expected failure';
}

/** Expected failures that no longer fail: the list must shrink when the fixture gets better. */
export function staleExpectedFailures(expected: ExpectedFailure[], leg: string, results: ScenarioResult[]): ExpectedFailure[] {
  return expected.filter((entry) => entry.leg === leg && results.some((result) => result.scenario === entry.scenario && result.failed === 0));
}

/** A fixed-width table: target, leg, scenario, checks passed / failed / warnings, verdict; failure messages below. */
export function formatReport(rows: ReportRow[], regressions: Regression[]): string {
  const header = ['target', 'leg', 'scenario', 'passed', 'failed', 'warnings', 'verdict'];
  const cells = rows.map(({ target, leg, result, verdict }) => [target, leg, result.scenario, String(result.passed), String(result.failed), String(result.warnings), verdict]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const table = [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
  const problems = rows
    .filter(({ verdict }) => verdict === 'FAIL' || verdict === 'expected failure')
    .flatMap(({ target, leg, result }) => result.failures.map((failure) => `  ${target} ${leg} ${result.scenario}: ${failure}`));
  return [
    ...table,
    ...(problems.length > 0 ? ['', 'Failed checks:', ...problems] : []),
    ...(regressions.length > 0 ? ['', 'Regressions through the gateway:', ...regressions.map((regression) => `  ${describeRegression(regression)}`)] : []),
  ].join('\n');
}
