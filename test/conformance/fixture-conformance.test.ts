import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_LEGS, runLeg } from './conformance.ts';
import { EXPECTED_PASSED, expectFixtureChecks } from './expected-checks.ts';
import { startConformanceFixture, type ConformanceFixture } from './fixture-server.ts';

describe('the conformance fixture, hit directly', () => {
  let fixture: ConformanceFixture;
  let outputRoot: string;

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    outputRoot = await mkdtemp(join(tmpdir(), 'fixture-conformance-'));
  });

  afterAll(async () => {
    await fixture?.close();
    if (outputRoot) await rm(outputRoot, { recursive: true, force: true });
  });

  it('lists the same legs as npm run conformance', () => {
    expect(CONFORMANCE_LEGS.map((leg) => leg.name)).toEqual(Object.keys(EXPECTED_PASSED));
  });

  for (const leg of CONFORMANCE_LEGS) {
    it(`passes every server scenario of ${leg.name} with the expected number of checks`, { timeout: 300_000 }, async () => {
      const run = await runLeg(leg, fixture.url, outputRoot);
      expectFixtureChecks(leg, run);
    });
  }
});
