import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus, systemClock, topicNames, type Bus } from '../../events/src/index.ts';
import type { Gateway } from '../../gateway/src/index.ts';
import { openAuditStore, startAuditIngest, type AuditStore } from '../../cli/src/run/audit-ingest-role.ts';
import { createGatewayRole } from '../../cli/src/run/gateway-role.ts';
import { kafkaBrokers, uniqueKafkaName } from '../support/kafka.ts';
import { connectMcpClient, firstText } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

// No verdict, no call, on Kafka: the invocation is published, nobody answers, the call is refused.
describe('fail closed on Kafka when no DLP worker consumes', () => {
  const verdictTimeoutMs = 1_000;
  const topicPrefix = `${uniqueKafkaName('fail-closed')}.`;
  let gateway: Gateway;
  let gatewayBus: Bus;
  let ingestBus: Bus;
  let store: AuditStore;
  let stopIngest: () => Promise<void>;
  let removeDir: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const temp = await temporaryDirectory('kafka-fail-closed');
    removeDir = temp.remove;
    const settings = testSettings({ dataDir: temp.dir, topicPrefix });
    settings.config.gateway.verdict_timeout_ms = verdictTimeoutMs;
    const topics = topicNames(topicPrefix);
    gatewayBus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'fail-closed-gateway', logger: testLogger });
    ingestBus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'fail-closed-ingest', logger: testLogger });
    store = await openAuditStore({ kind: 'chdb', path: path.join(temp.dir, 'chdb') }, testLogger);
    const ingest = await startAuditIngest({ bus: ingestBus, topics, store, logger: testLogger });
    stopIngest = () => ingest.stop();
    gateway = createGatewayRole({ settings, bus: gatewayBus, topics, clock: systemClock, logger: testLogger }).gateway;
    await gateway.start();
    url = await gateway.listen('127.0.0.1', 0);
  });

  afterAll(async () => {
    await gateway?.close();
    await gatewayBus?.close();
    await stopIngest?.();
    await ingestBus?.close();
    await store?.close();
    await removeDir?.();
  });

  it('refuses the call after the verdict timeout with the reason, and audits the refusal', async () => {
    const client = await connectMcpClient(`${url}/mcp`, TEST_TOKEN, 'legacy');
    const started = Date.now();
    const result = await client.callTool({ name: 'customers__echo', arguments: { message: 'anyone there?' } });
    const elapsed = Date.now() - started;
    await client.close();

    expect(result.isError).toBe(true);
    expect(firstText(result)).toContain(`no DLP verdict within ${verdictTimeoutMs} ms`);
    expect(firstText(result)).not.toContain('anyone there?');
    expect(elapsed).toBeGreaterThanOrEqual(verdictTimeoutMs);

    const rows = await waitForAuditRows(
      (sql) => store.query(sql),
      "SELECT type, decision, principal_subject, tool, body FROM audit_events WHERE type IN ('tool.call.received', 'tool.call.completed') ORDER BY type",
      (found) => found.length === 2,
    );
    expect(rows.map((row) => [row['type'], row['decision'], row['principal_subject'], row['tool']])).toEqual([
      ['tool.call.completed', 'refused', 'developer', 'echo'],
      ['tool.call.received', '', 'developer', 'echo'],
    ]);
    expect(JSON.parse(String(rows[0]!['body']))).toMatchObject({ outcome: 'refused', reason: 'verdict_timeout' });
  });
});
