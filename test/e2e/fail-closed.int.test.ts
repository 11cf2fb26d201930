import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus, systemClock, topicNames } from '../../events/src/index.ts';
import type { Gateway } from '../../gateway/src/index.ts';
import { openAuditStore, startAuditIngest, type AuditStore } from '../../cli/src/run/audit-ingest-role.ts';
import { createGatewayRole } from '../../cli/src/run/gateway-role.ts';
import { connectMcpClient, firstText } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

// No verdict, no call: with no DLP worker consuming, the call is refused in time and audited.
describe('fail closed without a DLP worker (embedded bus)', () => {
  const verdictTimeoutMs = 400;
  let gateway: Gateway;
  let store: AuditStore;
  let stopIngest: () => Promise<void>;
  let removeDir: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const temp = await temporaryDirectory('fail-closed');
    removeDir = temp.remove;
    const settings = testSettings({ dataDir: temp.dir });
    settings.config.gateway.verdict_timeout_ms = verdictTimeoutMs;
    const bus = createInProcessBus();
    const topics = topicNames(settings.config.bus.kafka.topic_prefix);
    store = await openAuditStore(settings.store, testLogger);
    const ingest = await startAuditIngest({ bus, topics, store, logger: testLogger });
    stopIngest = () => ingest.stop();
    gateway = createGatewayRole({ settings, bus, topics, clock: systemClock, logger: testLogger }).gateway;
    await gateway.start();
    url = await gateway.listen('127.0.0.1', 0);
  });

  afterAll(async () => {
    await gateway?.close();
    await stopIngest?.();
    await store?.close();
    await removeDir?.();
  });

  it('refuses the call within the verdict timeout with a tool error naming the reason, and never runs the tool', async () => {
    const client = await connectMcpClient(`${url}/mcp`, TEST_TOKEN, 'legacy');
    const started = Date.now();
    const result = await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1003' } });
    const elapsed = Date.now() - started;
    await client.close();

    expect(result.isError).toBe(true);
    const text = firstText(result);
    expect(text).toMatch(/refused/i);
    expect(text).toContain(`no DLP verdict within ${verdictTimeoutMs} ms`);
    expect(text).not.toContain('Priya');
    expect(elapsed).toBeGreaterThanOrEqual(verdictTimeoutMs);

    const rows = await waitForAuditRows(
      (sql) => store.query(sql),
      "SELECT decision, body FROM audit_events WHERE type = 'tool.call.completed'",
      (found) => found.length === 1,
    );
    expect(rows[0]!['decision']).toBe('refused');
    expect(JSON.parse(String(rows[0]!['body']))).toMatchObject({ outcome: 'refused', reason: 'verdict_timeout' });
  });
});
