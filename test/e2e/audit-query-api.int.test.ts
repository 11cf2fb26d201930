import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { connectMcpClient } from '../support/mcp-client.ts';
import { temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

const AUDITOR = 'gh_auditor_token_0000000001';
const DEVELOPER = 'gh_developer_token_000000002';

// The compliance query API as the gateway serves it: the compliance group alone, named queries only.
describe('the audit query API on the gateway', () => {
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;

  const get = (url: string, token?: string) => fetch(`${pipeline.url}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    const temp = await temporaryDirectory('audit-api');
    removeDir = temp.remove;
    const config = {
      tokens: [
        { token: { env: 'AUDITOR_TOKEN' }, subject: 'ann', email: 'ann@example.com', groups: ['compliance'] },
        { token: { env: 'DEVELOPER_TOKEN' }, subject: 'dev', groups: ['developers'] },
      ],
      portals: [{ name: 'demo', servers: [{ name: 'customers', transport: 'stdio', command: process.execPath, args: [path.join(REPO_ROOT, 'demo', 'customer-records-server.ts')] }] }],
    };
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir, config, env: { AUDITOR_TOKEN: AUDITOR, DEVELOPER_TOKEN: DEVELOPER } }), testLogger);
    const client = await connectMcpClient(`${pipeline.url}/mcp`, DEVELOPER, 'legacy');
    await client.callTool({ name: 'customers__search_customers', arguments: { query: 'Chicago' } });
    await client.close();
    await waitForAuditRows((sql) => pipeline.store.query(sql), "SELECT 1 FROM audit_events WHERE type = 'tool.call.completed'", (rows) => rows.length === 1);
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
  });

  it('answers a compliance user with the named queries and their results', async () => {
    const list = (await (await get('/audit/queries', AUDITOR)).json()) as { queries: Array<{ name: string }> };
    expect(list.queries.map((query) => query.name)).toEqual(expect.arrayContaining(['calls', 'dlp_actions', 'denied_calls', 'coverage']));

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const response = await get(`/audit/queries/calls?server=customers&from=${encodeURIComponent(from)}`, AUDITOR);
    expect(response.status).toBe(200);
    const result = (await response.json()) as { columns: Array<{ name: string }>; rows: unknown[][] };
    const principal = result.columns.findIndex((column) => column.name === 'principal_subject');
    const tool = result.columns.findIndex((column) => column.name === 'tool');
    expect(result.rows.map((row) => [row[principal], row[tool]])).toEqual([['dev', 'search_customers']]);
  });

  it('refuses callers outside the compliance group with 403, and callers without a token with 401', async () => {
    const forbidden = await get('/audit/queries', DEVELOPER);
    expect(forbidden.status).toBe(403);
    expect(JSON.stringify(await forbidden.json())).toContain('GH_ERR_AUDIT_API_FORBIDDEN');
    expect((await get('/audit/queries/calls')).status).toBe(401);
  });

  it('leaves the MCP endpoint to its own authentication', async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp`, DEVELOPER, 'legacy');
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});
