import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSuiteResults, scenarioOfDirectory, summarizeChecks, type ConformanceCheck } from './suite-results.ts';
import { suiteArguments } from './run-suite.ts';

const check = (id: string, status: ConformanceCheck['status'], errorMessage?: string): ConformanceCheck => ({ id, status, ...(errorMessage ? { errorMessage } : {}) });

describe('scenarioOfDirectory', () => {
  it('takes the scenario name out of the directory the suite writes', () => {
    expect(scenarioOfDirectory('server-tools-call-image-2026-11-22T05-09-12-165Z')).toBe('tools-call-image');
    expect(scenarioOfDirectory('server-server-sse-polling-2026-11-22T05-09-06-066Z')).toBe('server-sse-polling');
  });

  it('ignores directories that are not scenario results', () => {
    expect(scenarioOfDirectory('client-initialize-2026-11-22T05-09-12-165Z')).toBeUndefined();
    expect(scenarioOfDirectory('server-tools-list')).toBeUndefined();
  });
});

describe('summarizeChecks', () => {
  it('counts passed, failed and warned checks and keeps the messages of the bad ones', () => {
    const result = summarizeChecks('server-sse-polling', [
      check('incoming-sse-event', 'INFO'),
      check('server-sse-priming-event', 'WARNING', 'no priming event'),
      check('server-sse-retry-field', 'SUCCESS'),
      check('server-sse-disconnect-resume', 'FAILURE', 'no result after reconnect'),
      check('optional', 'SKIPPED'),
    ]);
    expect(result).toEqual({
      scenario: 'server-sse-polling',
      passed: 1,
      failed: 1,
      warnings: 1,
      failures: ['(warning) server-sse-priming-event: no priming event', 'server-sse-disconnect-resume: no result after reconnect'],
    });
  });
});

describe('readSuiteResults', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  async function writeScenario(name: string, contents: string): Promise<void> {
    await mkdir(join(directory!, name), { recursive: true });
    await writeFile(join(directory!, name, 'checks.json'), contents);
  }

  it('reads every scenario, sorted by name, using the latest run of a repeated scenario', async () => {
    directory = await mkdtemp(join(tmpdir(), 'suite-results-'));
    await writeScenario('server-tools-list-2026-11-22T05-09-12-165Z', JSON.stringify([check('tools-list', 'FAILURE', 'missing description')]));
    await writeScenario('server-tools-list-2026-11-22T05-10-00-000Z', JSON.stringify([check('tools-list', 'SUCCESS')]));
    await writeScenario('server-ping-2026-11-22T05-09-11-000Z', JSON.stringify([check('ping', 'SUCCESS'), check('wire-schema-valid', 'SUCCESS', undefined)]));
    await mkdir(join(directory, 'not-a-result'));

    const results = await readSuiteResults(directory);
    expect(results.map((result) => [result.scenario, result.passed, result.failed])).toEqual([
      ['ping', 2, 0],
      ['tools-list', 1, 0],
    ]);
  });

  it('counts a checks file it cannot read as one failed check that names the file', async () => {
    directory = await mkdtemp(join(tmpdir(), 'suite-results-'));
    await writeScenario('server-caching-2026-11-22T05-09-12-165Z', '{"not": "an array"}');
    const [result] = await readSuiteResults(directory);
    expect(result?.scenario).toBe('caching');
    expect(result?.failed).toBe(1);
    expect(result?.failures[0]).toMatch(/^unreadable-results: .*server-caching-.*checks\.json is not a conformance checks file/);
  });
});

describe('suiteArguments', () => {
  const base = { revision: '2026-07-28' as const, url: 'http://127.0.0.1:1/mcp', outputDir: '/tmp/out' };

  it('runs every server scenario of the revision, pending ones included', () => {
    expect(suiteArguments(base, 'mcp-conformance-2026')).toEqual(['server', '--url', base.url, '--spec-version', '2026-07-28', '--suite', 'all', '-o', '/tmp/out']);
  });

  it('passes a per-scenario timeout only to the suite release that accepts one', () => {
    expect(suiteArguments({ ...base, scenarioTimeoutMs: 5000 }, 'mcp-conformance-2026')).toContain('--timeout');
    expect(suiteArguments({ ...base, revision: '2025-11-25', scenarioTimeoutMs: 5000 }, 'mcp-conformance-2025')).not.toContain('--timeout');
  });
});
