import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../events/src/index.ts';
import { createApiKey } from '../../gateway/src/index.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { connectMcpClient } from '../support/mcp-client.ts';
import { startTestOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

const PUBLIC_URL = 'https://gatehouse.test';
const demo = { transport: 'stdio', command: process.execPath, args: [path.join(REPO_ROOT, 'demo', 'customer-records-server.ts')] };

// Real identity end to end: access tokens from a real OpenID provider and hashed API keys, through
// the gateway's MCP endpoint, with portal access decided by the token's groups and the key's scope.
describe('identity through the gateway', () => {
  let provider: TestOidcProvider;
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;
  let apiKey: string;

  const post = (portal: string, token: string) =>
    fetch(`${pipeline.url}/mcp/${portal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });

  beforeAll(async () => {
    const temp = await temporaryDirectory('identity');
    removeDir = temp.remove;
    provider = await startTestOidcProvider({
      resources: [`${PUBLIC_URL}/mcp/support`, 'https://other-service.test/api'],
      clients: [
        { id: 'support-agent', groups: ['support'], email: 'sam@example.com' },
        { id: 'sales-agent', groups: ['sales'], email: 'sue@example.com' },
      ],
    });
    const apiKeysFile = path.join(temp.dir, 'api-keys.json');
    apiKey = (await createApiKey(apiKeysFile, { name: 'nightly-report', subject: 'service:nightly-report', groups: ['automation'], portals: ['reports'], scopes: [], validForMs: 3_600_000 }, systemClock)).key;
    const config = {
      gateway: { public_url: PUBLIC_URL },
      identity: { oidc: { issuer: provider.issuer, audience: [`${PUBLIC_URL}/mcp/support`, `${PUBLIC_URL}/mcp/reports`] }, api_keys: { file: apiKeysFile } },
      portals: [
        { name: 'support', access: { groups: ['support'] }, servers: [{ name: 'customers', ...demo }] },
        { name: 'reports', servers: [{ name: 'customers', ...demo, tools: { mode: 'allow_list', allow: ['search_customers'] } }] },
      ],
    };
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir, config }), testLogger);
  });

  afterAll(async () => {
    await pipeline?.close();
    await provider?.close();
    await removeDir?.();
  });

  it('accepts an access token from the OpenID provider and applies the groups it carries', async () => {
    const token = await provider.issueAccessToken('support-agent', { resource: `${PUBLIC_URL}/mcp/support` });
    const client = await connectMcpClient(`${pipeline.url}/mcp/support`, token, 'modern');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    await client.close();
    expect(names).toContain('customers__get_customer');

    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT principal_subject, principal_email, principal_groups, JSONExtractString(body, 'method') AS method FROM audit_events WHERE type = 'auth.signed_in' AND portal = 'support'",
      (found) => found.length === 1,
    );
    expect(rows[0]).toMatchObject({ principal_email: 'sam@example.com', principal_groups: ['support'], method: 'oidc' });
  });

  it('refuses a valid token of a user outside the portal rule with 403', async () => {
    const token = await provider.issueAccessToken('sales-agent', { resource: `${PUBLIC_URL}/mcp/support` });
    const response = await post('support', token);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { data: { code: string } } }).error.data.code).toBe('GH_ERR_PORTAL_FORBIDDEN');
  });

  it('refuses a token minted for another resource, naming why, and never echoes it', async () => {
    const token = await provider.issueAccessToken('support-agent', { resource: 'https://other-service.test/api' });
    const response = await post('support', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(`resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp/support"`);
    const body = await response.text();
    expect(JSON.parse(body).error.data.code).toBe('GH_ERR_AUTH_WRONG_AUDIENCE');
    expect(body).not.toContain(token);
  });

  it('names the OpenID provider as the authorization server in the protected resource metadata', async () => {
    const metadata = (await (await fetch(`${pipeline.url}/.well-known/oauth-protected-resource/mcp/support`)).json()) as { resource: string; authorization_servers: string[] };
    expect(metadata).toMatchObject({ resource: `${PUBLIC_URL}/mcp/support`, authorization_servers: [provider.issuer] });
  });

  it('lets an API key into the portals it is scoped to, and no other', async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp/reports`, apiKey, 'legacy');
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['customers__search_customers']);
    await client.close();

    const response = await post('support', apiKey);
    expect(response.status).toBe(403);
    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT principal_subject, JSONExtractString(body, 'rule') AS rule FROM audit_events WHERE type = 'access.denied' AND principal_subject = 'service:nightly-report'",
      (found) => found.length === 1,
    );
    expect(rows[0]).toEqual({ principal_subject: 'service:nightly-report', rule: 'api_key.portals' });
  });
});
