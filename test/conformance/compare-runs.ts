import { scenarioPassed, type ScenarioResult } from './suite-results.ts';

/** Why a scenario that passed against the fixture directly counts as broken through the gateway. */
export type RegressionReason = 'missing' | 'failed' | 'passed-checks-differ' | 'new-warnings';

export interface Regression {
  /** Which run of the suite (e.g. `2026-07-28`), when the caller compares several. */
  leg?: string;
  scenario: string;
  reasons: RegressionReason[];
  direct: ScenarioResult;
  /** Absent when the scenario left no result through the gateway. */
  throughGateway?: ScenarioResult;
}

/**
 * The scenarios that passed directly but not through the gateway: missing there, failing there,
 * passing a different number of checks (the suite adds checks as it gets further, so fewer means
 * part of the protocol was lost), or warning where the direct run did not. Scenarios that already
 * fail directly are the fixture's problem, not the gateway's, and are left out.
 */
export function compareRuns(direct: ScenarioResult[], throughGateway: ScenarioResult[]): Regression[] {
  const gatewayByScenario = new Map(throughGateway.map((result) => [result.scenario, result]));
  const regressions: Regression[] = [];
  for (const expected of direct.filter(scenarioPassed)) {
    const actual = gatewayByScenario.get(expected.scenario);
    if (actual === undefined) {
      regressions.push({ scenario: expected.scenario, reasons: ['missing'], direct: expected });
      continue;
    }
    const reasons: RegressionReason[] = [];
    if (!scenarioPassed(actual)) reasons.push('failed');
    if (actual.passed !== expected.passed) reasons.push('passed-checks-differ');
    if (actual.warnings > expected.warnings) reasons.push('new-warnings');
    if (reasons.length > 0) regressions.push({ scenario: expected.scenario, reasons, direct: expected, throughGateway: actual });
  }
  return regressions;
}

/** One line per regression, for logs and test failure messages. */
export function describeRegression(regression: Regression): string {
  const { direct, throughGateway } = regression;
  const counts = (result: ScenarioResult) => `${result.passed} passed, ${result.failed} failed, ${result.warnings} warnings`;
  const gateway = throughGateway ? counts(throughGateway) : 'no result';
  const details = throughGateway?.failures.length ? ` — ${throughGateway.failures.join('; ')}` : '';
  const name = regression.leg === undefined ? regression.scenario : `${regression.leg} ${regression.scenario}`;
  return `${name} [${regression.reasons.join(', ')}]: direct ${counts(direct)}; through the gateway ${gateway}${details}`;
}
