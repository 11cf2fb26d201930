import { expect } from 'vitest';
import type { ConformanceLeg } from './conformance.ts';
import type { SuiteRun } from './run-suite.ts';

/**
 * Checks passed per scenario and leg when the suite runs against the fixture directly. Every
 * scenario must be there, fail nothing, and pass exactly this many checks: fewer means the
 * fixture lost part of the protocol. Through the gateway the counts must be the same: any
 * difference is a regression of the gateway.
 */
export const EXPECTED_PASSED: Record<string, Record<string, number>> = {
  '2025-11-25': {
    'completion-complete': 1, 'dns-rebinding-protection': 2, 'elicitation-sep1034-defaults': 5, 'elicitation-sep1330-enums': 5,
    'json-schema-2020-12': 4, 'logging-set-level': 1, 'ping': 1, 'prompts-get-embedded-resource': 1, 'prompts-get-simple': 1,
    'prompts-get-with-args': 1, 'prompts-get-with-image': 1, 'prompts-list': 1, 'resources-list': 1, 'resources-read-binary': 1,
    'resources-read-text': 1, 'resources-subscribe': 1, 'resources-templates-read': 1, 'resources-unsubscribe': 1, 'server-initialize': 1,
    'server-sse-multiple-streams': 2, 'server-sse-polling': 0, 'tools-call-audio': 1, 'tools-call-elicitation': 1, 'tools-call-embedded-resource': 1,
    'tools-call-error': 1, 'tools-call-image': 1, 'tools-call-mixed-content': 1, 'tools-call-sampling': 1, 'tools-call-simple-text': 1,
    'tools-call-with-logging': 1, 'tools-call-with-progress': 1, 'tools-list': 1,
  },
  '2025-11-25/alpha': {
    'completion-complete': 2, 'dns-rebinding-protection': 2, 'elicitation-sep1034-defaults': 6, 'elicitation-sep1330-enums': 6,
    'json-schema-2020-12': 8, 'logging-set-level': 2, 'ping': 2, 'prompts-get-embedded-resource': 2, 'prompts-get-simple': 2,
    'prompts-get-with-args': 2, 'prompts-get-with-image': 2, 'prompts-list': 2, 'resources-list': 2, 'resources-read-binary': 2,
    'resources-read-text': 2, 'resources-subscribe': 2, 'resources-templates-read': 2, 'resources-unsubscribe': 2, 'server-initialize': 3,
    'server-session-lifecycle': 3, 'server-sse-multiple-streams': 2, 'server-sse-polling': 3, 'tools-call-audio': 2, 'tools-call-elicitation': 2,
    'tools-call-embedded-resource': 2, 'tools-call-error': 2, 'tools-call-image': 2, 'tools-call-mixed-content': 2, 'tools-call-sampling': 2,
    'tools-call-simple-text': 2, 'tools-call-with-logging': 2, 'tools-call-with-progress': 2, 'tools-list': 3,
  },
  '2026-07-28': {
    'caching': 8, 'completion-complete': 2, 'dns-rebinding-protection': 2, 'http-custom-header-server-validation': 10, 'http-header-validation': 14,
    'input-required-result-basic-elicitation': 3, 'input-required-result-basic-list-roots': 3, 'input-required-result-basic-sampling': 3,
    'input-required-result-capability-check': 2, 'input-required-result-ignore-extra-params': 2, 'input-required-result-missing-input-response': 2,
    'input-required-result-multi-round': 4, 'input-required-result-multiple-input-requests': 3, 'input-required-result-non-tool-request': 3,
    'input-required-result-request-state': 3, 'input-required-result-result-type': 2, 'input-required-result-tampered-state': 2,
    'input-required-result-unsupported-methods': 2, 'input-required-result-validate-input': 3, 'json-schema-2020-12': 8,
    'prompts-get-embedded-resource': 2, 'prompts-get-simple': 2, 'prompts-get-with-args': 2, 'prompts-get-with-image': 2, 'prompts-list': 2,
    'resources-list': 2, 'resources-read-binary': 2, 'resources-read-text': 2, 'resources-templates-read': 2, 'sep-2164-resource-not-found': 4,
    'server-sse-multiple-streams': 1, 'server-stateless': 30, 'tools-call-audio': 2, 'tools-call-embedded-resource': 2, 'tools-call-error': 2,
    'tools-call-image': 2, 'tools-call-mixed-content': 2, 'tools-call-simple-text': 2, 'tools-call-with-progress': 2, 'tools-list': 4,
  },
};

/** 0.1.16 sends the 2025-03-26 protocol-version header on its SSE polling probe, so no priming event or retry field is due. */
export const EXPECTED_WARNINGS: Record<string, Record<string, number>> = { '2025-11-25': { 'server-sse-polling': 2 } };

/** Asserts that a run of one leg finished, failed no check, and passed and warned exactly as the fixture does directly. */
export function expectFixtureChecks(leg: ConformanceLeg, run: SuiteRun): void {
  expect(run.timedOut, run.outputTail).toBe(false);
  const failures = run.results.flatMap((result) => result.failures.filter((failure) => !failure.startsWith('(warning)')).map((failure) => `${result.scenario}: ${failure}`));
  expect(failures).toEqual([]);
  expect(Object.fromEntries(run.results.map((result) => [result.scenario, result.passed]))).toEqual(EXPECTED_PASSED[leg.name]);
  const warned = run.results.filter((result) => result.warnings > 0).map((result) => [result.scenario, result.warnings]);
  expect(Object.fromEntries(warned)).toEqual(EXPECTED_WARNINGS[leg.name] ?? {});
}
