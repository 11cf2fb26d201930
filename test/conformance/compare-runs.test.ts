import { describe, expect, it } from 'vitest';
import { compareRuns, describeRegression } from './compare-runs.ts';
import { directVerdict, formatReport, staleExpectedFailures } from './conformance-report.ts';
import type { ScenarioResult } from './suite-results.ts';

const result = (scenario: string, passed: number, failed = 0, warnings = 0, failures: string[] = []): ScenarioResult => ({ scenario, passed, failed, warnings, failures });

describe('compareRuns', () => {
  it('finds nothing when every scenario passes through the gateway with the same checks', () => {
    const direct = [result('ping', 2), result('tools-list', 4)];
    expect(compareRuns(direct, [result('tools-list', 4), result('ping', 2)])).toEqual([]);
  });

  it('reports a scenario missing through the gateway', () => {
    const regressions = compareRuns([result('ping', 2)], []);
    expect(regressions).toEqual([{ scenario: 'ping', reasons: ['missing'], direct: result('ping', 2) }]);
    expect(describeRegression(regressions[0]!)).toBe('ping [missing]: direct 2 passed, 0 failed, 0 warnings; through the gateway no result');
    expect(describeRegression({ ...regressions[0]!, leg: '2026-07-28' })).toMatch(/^2026-07-28 ping \[missing\]/);
  });

  it('reports a scenario that fails through the gateway, with its messages', () => {
    const gateway = result('tools-call-sampling', 1, 1, 0, ['tools-call-sampling: Server did not request sampling from client']);
    const [regression] = compareRuns([result('tools-call-sampling', 2)], [gateway]);
    expect(regression?.reasons).toEqual(['failed', 'passed-checks-differ']);
    expect(describeRegression(regression!)).toContain('Server did not request sampling from client');
  });

  it('reports a scenario that passes through the gateway with fewer (or more) checks', () => {
    expect(compareRuns([result('server-stateless', 30)], [result('server-stateless', 27)])[0]?.reasons).toEqual(['passed-checks-differ']);
    expect(compareRuns([result('server-stateless', 30)], [result('server-stateless', 31)])[0]?.reasons).toEqual(['passed-checks-differ']);
  });

  it('reports warnings that only appear through the gateway', () => {
    expect(compareRuns([result('server-sse-polling', 3)], [result('server-sse-polling', 3, 0, 1)])[0]?.reasons).toEqual(['new-warnings']);
    expect(compareRuns([result('server-sse-polling', 0, 0, 2)], [result('server-sse-polling', 0, 0, 2)])).toEqual([]);
  });

  it('leaves out scenarios that already fail directly', () => {
    expect(compareRuns([result('caching', 6, 2)], [result('caching', 0, 8)])).toEqual([]);
  });
});

describe('expected failures', () => {
  const expected = [{ leg: '2026-07-28', scenario: 'caching', reason: 'the SDK omits ttlMs' }];

  it('tells an expected failure from an unexpected one, per leg', () => {
    expect(directVerdict(expected, '2026-07-28', result('caching', 6, 2))).toBe('expected failure');
    expect(directVerdict(expected, '2025-11-25', result('caching', 6, 2))).toBe('FAIL');
    expect(directVerdict(expected, '2026-07-28', result('ping', 2))).toBe('pass');
  });

  it('flags an expected failure that passes now, so the list shrinks', () => {
    expect(staleExpectedFailures(expected, '2026-07-28', [result('caching', 8)])).toEqual(expected);
    expect(staleExpectedFailures(expected, '2026-07-28', [result('caching', 6, 2)])).toEqual([]);
  });
});

describe('formatReport', () => {
  it('prints one aligned row per scenario and lists the failed checks below', () => {
    const report = formatReport(
      [
        { target: 'direct', leg: '2026-07-28', result: result('ping', 2), verdict: 'pass' },
        { target: 'direct', leg: '2026-07-28', result: result('tools-list', 1, 1, 0, ['tools-list: Tool 0: missing description']), verdict: 'FAIL' },
      ],
      [],
    );
    expect(report.split('\n')).toEqual([
      'target  leg         scenario    passed  failed  warnings  verdict',
      '------  ----------  ----------  ------  ------  --------  -------',
      'direct  2026-07-28  ping        2       0       0         pass',
      'direct  2026-07-28  tools-list  1       1       0         FAIL',
      '',
      'Failed checks:',
      '  direct 2026-07-28 tools-list: tools-list: Tool 0: missing description',
    ]);
  });
});
