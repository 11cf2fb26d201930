import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { systemClock } from '../../events/src/index.ts';
import { loadConfigFile } from '../../cli/src/config/load-config.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { resolveRuntimeSettings } from '../../cli/src/config/runtime-settings.ts';
import { reloadOnConfigChange } from '../../cli/src/run/config-reload.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { connectMcpClient, firstText } from '../support/mcp-client.ts';
import { temporaryDirectory, testLogger } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

const ALICE = 'gh_alice_support_token_0001';
const FAY = 'gh_fay_finance_token_0002';
const demo = { transport: 'stdio', command: process.execPath, args: [path.join(REPO_ROOT, 'demo', 'customer-records-server.ts')] };

function config(customerTools: unknown) {
  return {
    tokens: [
      { token: { env: 'ALICE_TOKEN' }, subject: 'alice', email: 'alice@example.com', groups: ['support'] },
      { token: { env: 'FAY_TOKEN' }, subject: 'fay', email: 'fay@finance.example.org', groups: ['finance'] },
    ],
    portals: [
      {
        name: 'main',
        servers: [
          { name: 'customers', ...demo, access: { groups: ['support'] }, tools: customerTools },
          { name: 'records', ...demo, access: { groups: ['finance'] }, tools: { mode: 'allow_list', allow: ['search_customers'] } },
        ],
      },
      { name: 'restricted', access: { email_domains: ['finance.example.org'] }, servers: [{ name: 'customers', ...demo }] },
    ],
  };
}

const toolNames = async (url: string, token: string) => {
  const client = await connectMcpClient(url, token, 'legacy');
  try {
    return (await client.listTools()).tools.map((tool) => tool.name).sort();
  } finally {
    await client.close();
  }
};

// Who sees what, on one portal URL: access rules per portal, server and tool; aliases; allow-lists;
// denials audited with the deciding rule; and policy edits applied without a restart.
describe('portal policy and config reload', () => {
  let pipeline: EmbeddedPipeline;
  let watcher: { close(): void } | undefined;
  let configFile: string;
  let removeDir: () => Promise<void>;
  const env = { ALICE_TOKEN: ALICE, FAY_TOKEN: FAY };

  beforeAll(async () => {
    const temp = await temporaryDirectory('portal-policy');
    removeDir = temp.remove;
    configFile = path.join(temp.dir, 'gatehouse.yaml');
    await writeFile(
      configFile,
      stringify({ ...config({ rules: { get_customer: { alias: 'lookup_customer', description: 'Look up one customer by id' } } }), gateway: { port: 0 }, store: { chdb_path: path.join(temp.dir, 'chdb') } }),
    );
    const settings = resolveRuntimeSettings(await loadConfigFile(configFile), configFile, env, temp.dir);
    pipeline = await startEmbeddedPipeline(settings, testLogger);
    watcher = reloadOnConfigChange({ settings, env, overrides: {}, apply: pipeline.reload, bus: pipeline.bus, topics: pipeline.topics, clock: systemClock, logger: testLogger });
  });

  afterAll(async () => {
    watcher?.close();
    await pipeline?.close();
    await removeDir?.();
  });

  it('shows two users in different groups different tools on the same portal URL', async () => {
    expect(await toolNames(`${pipeline.url}/mcp/main`, ALICE)).toEqual(['customers__echo', 'customers__lookup_customer', 'customers__search_customers']);
    expect(await toolNames(`${pipeline.url}/mcp/main`, FAY)).toEqual(['records__search_customers']);
  });

  it('serves an aliased tool under its alias and description, running the upstream tool', async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp/main`, ALICE, 'modern');
    const tool = (await client.listTools()).tools.find((candidate) => candidate.name === 'customers__lookup_customer');
    expect(tool?.description).toBe('Look up one customer by id');
    const result = await client.callTool({ name: 'customers__lookup_customer', arguments: { id: 'cus_1001' } });
    await client.close();
    expect(firstText(result)).toContain('Maria Gonzalez');
  });

  it("refuses a call to another group's tool as unknown, and audits the denial with the deciding rule", async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp/main`, FAY, 'legacy');
    await expect(client.callTool({ name: 'customers__lookup_customer', arguments: { id: 'cus_1001' } })).rejects.toThrow(/Unknown tool "customers__lookup_customer"/);
    await expect(client.callTool({ name: 'records__echo', arguments: { message: 'hi' } })).rejects.toThrow(/Unknown tool "records__echo"/);
    await client.close();

    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT tool, JSONExtractString(body, 'rule') AS rule FROM audit_events WHERE type = 'access.denied' AND principal_subject = 'fay' ORDER BY tool",
      (found) => found.length === 2,
    );
    expect(rows).toEqual([
      { tool: 'customers__lookup_customer', rule: 'portals[main].servers[customers].access' },
      { tool: 'records__echo', rule: 'portals[main].servers[records].tools.mode' },
    ]);
  });

  it('refuses a portal whose access rule excludes the caller with 403, and audits it', async () => {
    const response = await fetch(`${pipeline.url}/mcp/restricted`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${ALICE}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { data: { code: string } } }).error.data.code).toBe('GH_ERR_PORTAL_FORBIDDEN');
    expect(await toolNames(`${pipeline.url}/mcp/restricted`, FAY)).toEqual(['customers__echo', 'customers__get_customer', 'customers__search_customers']);

    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT principal_subject, JSONExtractString(body, 'reason') AS reason, JSONExtractString(body, 'rule') AS rule FROM audit_events WHERE type = 'access.denied' AND portal = 'restricted'",
      (found) => found.length === 1,
    );
    expect(rows[0]).toEqual({ principal_subject: 'alice', reason: 'portal_denied', rule: 'portals[restricted].access' });
  });

  it('challenges a request without a token with the resource metadata URL, which names the resource', async () => {
    const response = await fetch(`${pipeline.url}/mcp/main`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${pipeline.url}/.well-known/oauth-protected-resource/mcp/main`);
    const metadata = (await (await fetch(metadataUrl!)).json()) as { resource: string; bearer_methods_supported: string[] };
    expect(metadata.resource).toBe(`${pipeline.url}/mcp/main`);
    expect(metadata.bearer_methods_supported).toEqual(['header']);
    expect((await fetch(`${pipeline.url}/.well-known/oauth-protected-resource/mcp/nope`)).status).toBe(404);
  });

  it('applies an edited config without a restart and audits the change; a broken edit keeps the running config', async () => {
    const current = (await import('yaml')).parse(await (await import('node:fs/promises')).readFile(configFile, 'utf8'));
    await writeFile(configFile, stringify({ ...current, ...config({ rules: { echo: { enabled: false } } }) }));
    const deadline = Date.now() + 15_000;
    while ((await toolNames(`${pipeline.url}/mcp/main`, ALICE)).includes('customers__echo')) {
      if (Date.now() > deadline) throw new Error('the edited config was not applied');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await toolNames(`${pipeline.url}/mcp/main`, ALICE)).toEqual(['customers__get_customer', 'customers__search_customers']);

    await writeFile(configFile, 'portals: [ this is not: valid');
    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT JSONExtractBool(body, 'applied') AS applied, JSONExtractArrayRaw(body, 'changes') AS changes FROM audit_events WHERE type = 'config.changed' ORDER BY time",
      (found) => found.length === 2,
    );
    expect(Number(rows[0]!['applied'])).toBe(1);
    expect(String(rows[0]!['changes'])).toContain('portals[main].servers[customers].tools.rules');
    expect(Number(rows[1]!['applied'])).toBe(0);
    expect(String(rows[1]!['changes'])).toContain('not valid YAML');
    expect(await toolNames(`${pipeline.url}/mcp/main`, ALICE)).toEqual(['customers__get_customer', 'customers__search_customers']);
  });
});
