import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createKafkaBus, topicNames, type Bus } from '../../events/src/index.ts';
import { openAuditStore, startAuditIngest, type AuditStore } from '../../cli/src/run/audit-ingest-role.ts';
import { startEverythingServer, type EverythingServer } from '../../gateway/test/support/everything-server.ts';
import { kafkaBrokers, uniqueKafkaName } from '../support/kafka.ts';
import { connectMcpClient, firstText, type ClientEra } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger } from '../support/pipeline.ts';
import { startRoleProcess, type RoleProcess } from '../support/role-process.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';

// Distributed mode on a real Kafka broker: gateway and dlp-worker as their own processes,
// audit-ingest consuming into chDB, real upstreams over stdio and Streamable HTTP.
describe('distributed pipeline on Kafka', () => {
  const topicPrefix = `${uniqueKafkaName('e2e')}.`;
  let everything: EverythingServer;
  let gateway: RoleProcess;
  let worker: RoleProcess;
  let bus: Bus;
  let store: AuditStore;
  let stopIngest: () => Promise<void>;
  let removeDir: () => Promise<void>;
  let mcpUrl: string;

  beforeAll(async () => {
    const temp = await temporaryDirectory('kafka-e2e');
    removeDir = temp.remove;
    everything = await startEverythingServer();
    const configFile = path.join(temp.dir, 'gatehouse.yaml');
    await writeFile(
      configFile,
      stringify({
        gateway: { port: 0, instance_id: `e2e-${process.pid}` },
        bus: { kind: 'kafka', kafka: { topic_prefix: topicPrefix } },
        store: { chdb_path: path.join(temp.dir, 'chdb') },
        tokens: [{ token: { env: 'E2E_TOKEN' }, subject: 'alice', email: 'alice@example.com', groups: ['support'] }],
        portals: [
          {
            name: 'main',
            servers: [
              { name: 'customers', transport: 'stdio', command: process.execPath, args: [path.join(REPO_ROOT, 'demo', 'customer-records-server.ts')] },
              { name: 'everything', transport: 'streamable-http', url: everything.url },
            ],
          },
        ],
      }),
    );
    const env = { KAFKA_BROKERS: kafkaBrokers().join(','), E2E_TOKEN: TEST_TOKEN };
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'e2e-audit-ingest', logger: testLogger });
    store = await openAuditStore({ kind: 'chdb', path: path.join(temp.dir, 'chdb') }, testLogger);
    const ingest = await startAuditIngest({ bus, topics: topicNames(topicPrefix), store, logger: testLogger });
    stopIngest = () => ingest.stop();
    [worker, gateway] = await Promise.all([
      startRoleProcess('dlp-worker', ['--config', configFile], env, /dlp-worker is consuming/),
      startRoleProcess('gateway', ['--config', configFile], env, /ready: (http:\/\/\S+\/mcp)/),
    ]);
    mcpUrl = (gateway as RoleProcess & { match: RegExpMatchArray }).match[1]!;
  });

  afterAll(async () => {
    await gateway?.stop();
    await worker?.stop();
    await stopIngest?.();
    await bus?.close();
    await store?.close();
    await everything?.stop();
    await removeDir?.();
  });

  for (const era of ['legacy', 'modern'] as ClientEra[]) {
    it(`a ${era} client calls the stdio demo server and the Streamable HTTP server through the gateway`, async () => {
      const client = await connectMcpClient(mcpUrl, TEST_TOKEN, era);
      try {
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        expect(names).toEqual(expect.arrayContaining(['customers__get_customer', 'everything__echo']));

        const echoed = await client.callTool({ name: 'everything__echo', arguments: { message: `hello over kafka (${era})` } });
        expect(firstText(echoed)).toContain(`hello over kafka (${era})`);

        const customer = await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1004' } });
        const text = firstText(customer);
        expect(text).toContain('Tomasz Nowak');
        expect(text).not.toContain('3714 496353 98431');
        expect(text).not.toContain('623-18-4402');
        expect(text).toContain('[REDACTED:us_ssn]');
      } finally {
        await client.close();
      }
    });
  }

  it('blocks arguments carrying a credential before they reach the upstream, and audits it', async () => {
    const client = await connectMcpClient(mcpUrl, TEST_TOKEN, 'legacy');
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'deploy with AKIAZ7QX3P4LMN2RTB6K please' } });
    await client.close();
    expect(result.isError).toBe(true);
    expect(firstText(result)).toMatch(/blocked.*aws_access_key_id/i);
    expect(firstText(result)).not.toContain('AKIAZ7QX3P4LMN2RTB6K');

    const rows = await waitForAuditRows(
      (sql) => store.query(sql),
      "SELECT type, decision, principal_subject, tool FROM audit_events WHERE server = 'everything' AND decision IN ('block', 'blocked')",
      (found) => found.length === 2,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { type: 'dlp.verdict', decision: 'block', principal_subject: 'alice', tool: 'echo' },
        { type: 'tool.call.completed', decision: 'blocked', principal_subject: 'alice', tool: 'echo' },
      ]),
    );
    expect(JSON.stringify(await store.query('SELECT * FROM audit_events'))).not.toContain('AKIAZ7QX3P4LMN2RTB6K');
  });

  it('records each call in audit_events: invocation, both verdicts and the outcome with principal, tool and decision', async () => {
    const rows = await waitForAuditRows(
      (sql) => store.query(sql),
      "SELECT type, decision, principal_subject, principal_email, portal, server, tool FROM audit_events WHERE tool = 'get_customer'",
      (found) => found.filter((row) => row['type'] === 'tool.call.completed').length === 2,
    );
    const perCall = rows.filter((row) => row['type'] === 'tool.call.received');
    expect(perCall).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ principal_subject: 'alice', principal_email: 'alice@example.com', portal: 'main', server: 'customers' });
    expect(rows.filter((row) => row['type'] === 'dlp.verdict').map((row) => row['decision']).sort()).toEqual(['allow', 'allow', 'redact', 'redact']);
    expect(rows.filter((row) => row['type'] === 'tool.call.completed').map((row) => row['decision'])).toEqual(['redacted', 'redacted']);
  });
});
