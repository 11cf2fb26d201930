import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENTS_TABLE } from '../../audit-ingest/src/index.ts';
import { UNAUTHENTICATED_PRINCIPAL } from '../../events/src/index.ts';
import { CONFORMANCE_LEGS, runLeg } from './conformance.ts';
import { expectFixtureChecks } from './expected-checks.ts';
import { startConformanceFixture, type ConformanceFixture } from './fixture-server.ts';
import { startGatewayInFront, type GatewayInFront } from './gateway-in-front.ts';

/**
 * The official suite through the whole embedded pipeline in front of the fixture: every scenario
 * must pass with the same checks as against the fixture directly (expected-checks.ts), so any
 * part of MCP the gateway drops, alters or answers differently fails here.
 */
describe('the conformance suite through the gateway', () => {
  let fixture: ConformanceFixture;
  let gateway: GatewayInFront;
  let outputRoot: string;

  beforeAll(async () => {
    fixture = await startConformanceFixture();
    gateway = await startGatewayInFront(fixture.url);
    outputRoot = await mkdtemp(join(tmpdir(), 'gateway-conformance-'));
  });

  afterAll(async () => {
    await gateway?.close();
    await fixture?.close();
    if (outputRoot) await rm(outputRoot, { recursive: true, force: true });
  });

  for (const leg of CONFORMANCE_LEGS) {
    it(`passes every server scenario of ${leg.name} as the fixture does directly`, { timeout: 300_000 }, async () => {
      const run = await runLeg(leg, gateway.url, outputRoot);
      expectFixtureChecks(leg, run);
    });
  }

  it('audits what the suite did as unauthenticated, tool calls, prompts and resource reads alike', { timeout: 60_000 }, async () => {
    const sql = `SELECT principal_subject, JSONExtractString(body, 'operation') AS operation, count() AS events
      FROM ${AUDIT_EVENTS_TABLE} WHERE portal = 'conformance' AND type = 'tool.call.completed'
      GROUP BY principal_subject, operation ORDER BY operation`;
    let rows: unknown[][] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      rows = (await gateway.pipeline.store.query(sql)).rows;
      if (rows.some(([, operation]) => operation === 'resources/read')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(new Set(rows.map(([subject]) => subject))).toEqual(new Set([UNAUTHENTICATED_PRINCIPAL.subject]));
    expect(rows.map(([, operation]) => operation)).toEqual(expect.arrayContaining(['completion/complete', 'prompts/get', 'resources/read', 'tools/call']));
  });
});
