import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { connectMcpClient, firstText } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-http', version: '1' } },
};

// Bad input gets a clear error, changes nothing and never stops the gateway from serving.
describe('gateway: bad input', () => {
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;
  let mcpUrl: string;

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TEST_TOKEN}`, ...headers },
      body,
    });

  beforeAll(async () => {
    const temp = await temporaryDirectory('bad-input');
    removeDir = temp.remove;
    const config = {
      gateway: { max_body_bytes: 64 * 1024 },
      tokens: [{ token: { env: 'GATEHOUSE_DEV_TOKEN' }, subject: 'developer', groups: ['developers'] }],
      portals: [{ name: 'demo', servers: [{ name: 'customers', transport: 'stdio', command: process.execPath, args: ['demo/customer-records-server.ts'] }] }],
    };
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir, config }), testLogger);
    mcpUrl = `${pipeline.url}/mcp`;
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
  });

  async function stillServes(): Promise<void> {
    const client = await connectMcpClient(mcpUrl, TEST_TOKEN, 'legacy');
    const result = await client.callTool({ name: 'customers__echo', arguments: { message: 'still here' } });
    await client.close();
    expect(firstText(result)).toContain('still here');
  }

  it('answers a malformed JSON body with a JSON-RPC parse error', async () => {
    const response = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32700);
    await stillServes();
  });

  it('answers a JSON body that is not JSON-RPC with an invalid-request error', async () => {
    const response = await post(JSON.stringify({ hello: 'world' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number } };
    expect([-32600, -32700]).toContain(body.error.code);
    await stillServes();
  });

  it('refuses an oversized body with 413 and a message naming the limit', async () => {
    const big = JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(70 * 1024) } });
    const response = await post(big);
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('GH_ERR_BODY_TOO_LARGE');
    expect(body.error.message).toContain(`${64 * 1024} bytes`);
    await stillServes();
  });

  it('refuses a request without a token, and one with a wrong token, with 401 and a Bearer challenge', async () => {
    const missing = await post(JSON.stringify(INITIALIZE), { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await missing.json()) as { error: { data: { code: string } } }).error.data.code).toBe('GH_ERR_AUTH_MISSING_TOKEN');

    const wrong = await post(JSON.stringify(INITIALIZE), { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    const wrongBody = await wrong.text();
    expect(JSON.parse(wrongBody).error.data.code).toBe('GH_ERR_AUTH_INVALID_TOKEN');
    expect(wrongBody).not.toContain('not-the-token');
    await stillServes();
  });

  it('answers a call to an unknown tool with an error naming it, and audits the denial', async () => {
    const client = await connectMcpClient(mcpUrl, TEST_TOKEN, 'legacy');
    await expect(client.callTool({ name: 'customers__drop_tables', arguments: {} })).rejects.toThrow(/Unknown tool "customers__drop_tables"/);
    await client.close();
    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT principal_subject, tool, decision, body FROM audit_events WHERE type = 'access.denied' AND tool = 'customers__drop_tables'",
      (found) => found.length === 1,
    );
    expect(rows[0]).toMatchObject({ principal_subject: 'developer', decision: 'deny' });
    await stillServes();
  });

  it('audits refused tokens without recording the token', async () => {
    await post(JSON.stringify(INITIALIZE), { authorization: 'Bearer leaked-secret-value' });
    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT principal_subject, body FROM audit_events WHERE type = 'access.denied' AND position(body, 'invalid_token') > 0",
      (found) => found.length >= 1,
    );
    expect(rows[0]!['principal_subject']).toBe('anonymous');
    const all = await pipeline.store.query('SELECT * FROM audit_events');
    expect(JSON.stringify(all)).not.toContain('leaked-secret-value');
  });
});
