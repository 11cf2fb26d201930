import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * One check as the conformance suite writes it to `<output>/server-<scenario>-<time>/checks.json`.
 * Only the fields read here are named; the suite's other fields pass through untouched.
 */
export const ConformanceCheckSchema = z.looseObject({
  id: z.string(),
  status: z.enum(['SUCCESS', 'FAILURE', 'WARNING', 'INFO', 'SKIPPED']),
  description: z.string().optional(),
  errorMessage: z.string().optional(),
});
export type ConformanceCheck = z.infer<typeof ConformanceCheckSchema>;

export const ConformanceChecksFileSchema = z.array(ConformanceCheckSchema);

/** What one scenario showed: counts by outcome, and the messages of what went wrong. */
export interface ScenarioResult {
  scenario: string;
  passed: number;
  failed: number;
  warnings: number;
  /** `<check id>: <message>` for each failed or warned check, in the suite's order. */
  failures: string[];
}

/** A scenario passes when none of its checks failed (warnings and infos do not fail it), as the suite itself counts. */
export const scenarioPassed = (result: ScenarioResult): boolean => result.failed === 0;

/** `server-tools-call-image-2026-11-22T05-09-12-165Z` → `tools-call-image`. */
const RESULT_DIRECTORY = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

export function scenarioOfDirectory(name: string): string | undefined {
  return RESULT_DIRECTORY.exec(name)?.[1];
}

export function summarizeChecks(scenario: string, checks: ConformanceCheck[]): ScenarioResult {
  const count = (status: ConformanceCheck['status']) => checks.filter((check) => check.status === status).length;
  const failures = checks
    .filter((check) => check.status === 'FAILURE' || check.status === 'WARNING')
    .map((check) => `${check.status === 'WARNING' ? '(warning) ' : ''}${check.id}: ${check.errorMessage ?? check.description ?? 'no message'}`);
  return { scenario, passed: count('SUCCESS'), failed: count('FAILURE'), warnings: count('WARNING'), failures };
}

/**
 * Reads every scenario result the suite wrote into `outputDir`, sorted by scenario name. A
 * scenario written twice (a re-run into the same directory) counts with its latest run; a
 * checks file that is not what the suite writes counts as one failed check naming the file.
 */
export async function readSuiteResults(outputDir: string): Promise<ScenarioResult[]> {
  const latest = new Map<string, string>();
  for (const entry of (await readdir(outputDir, { withFileTypes: true })).filter((candidate) => candidate.isDirectory()).map((dir) => dir.name).sort()) {
    const scenario = scenarioOfDirectory(entry);
    if (scenario !== undefined) latest.set(scenario, entry);
  }
  const results: ScenarioResult[] = [];
  for (const [scenario, directory] of latest) {
    const file = join(outputDir, directory, 'checks.json');
    const parsed = ConformanceChecksFileSchema.safeParse(await readJson(file));
    results.push(
      parsed.success
        ? summarizeChecks(scenario, parsed.data)
        : { scenario, passed: 0, failed: 1, warnings: 0, failures: [`unreadable-results: ${file} is not a conformance checks file (${parsed.error.issues[0]?.message ?? 'invalid'})`] },
    );
  }
  return results.sort((a, b) => a.scenario.localeCompare(b.scenario));
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
