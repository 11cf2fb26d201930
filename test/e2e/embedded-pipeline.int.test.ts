import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { connectMcpClient, firstText, type ClientEra } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

// The embedded default as `gatehouse start` runs it: demo portal, in-process bus, real chDB.
describe('embedded pipeline: a tool call through gateway, DLP and audit in one process', () => {
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;

  beforeAll(async () => {
    const temp = await temporaryDirectory('embedded');
    removeDir = temp.remove;
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir }), testLogger);
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
  });

  for (const era of ['legacy', 'modern'] as ClientEra[]) {
    it(`a ${era} MCP client sees the demo tools and gets the customer record with card and SSN redacted`, async () => {
      const client: Client = await connectMcpClient(`${pipeline.url}/mcp`, TEST_TOKEN, era);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['customers__get_customer', 'customers__echo']));

        const result = await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1001' } });
        expect(result.isError).toBeFalsy();
        const text = firstText(result);
        expect(text).toContain('Maria Gonzalez');
        expect(text).toContain('maria.gonzalez@example.com');
        expect(text).not.toContain('4539 1488 0343 6467');
        expect(text).not.toContain('512-34-7821');
        expect(text).toContain('[REDACTED:payment_card]');
        expect(text).toContain('[REDACTED:us_ssn]');
        expect(JSON.stringify(result.structuredContent ?? {})).not.toContain('512-34-7821');
      } finally {
        await client.close();
      }
    });
  }

  it('records the invocation, the verdicts and the outcome in audit_events with principal, tool and decision', async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp`, TEST_TOKEN, 'legacy');
    const result = await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1002' } });
    await client.close();
    expect(result.isError).toBeFalsy();

    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      `SELECT type, principal_subject, principal_email, portal, server, tool, decision, trace_id, body FROM audit_events
       WHERE trace_id = (SELECT trace_id FROM audit_events WHERE type = 'tool.call.received' ORDER BY time DESC, event_id DESC LIMIT 1)
       ORDER BY time, event_id`,
      (found) => found.some((row) => row['type'] === 'tool.call.completed'),
    );
    for (const row of rows) {
      expect(row).toMatchObject({ principal_subject: 'developer', portal: 'demo', server: 'customers', tool: 'get_customer' });
    }
    const decisions = rows.map((row) => `${String(row['type'])}:${JSON.parse(String(row['body'])).direction ?? ''}:${String(row['decision'])}`).sort();
    expect(decisions).toEqual(['dlp.verdict:arguments:allow', 'dlp.verdict:result:redact', 'tool.call.completed::redacted', 'tool.call.received::']);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain('5425 2334 3010 9903');
    expect(everything).not.toContain('287-65-4310');
  });
});
