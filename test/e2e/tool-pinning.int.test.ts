import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { toolsCommand } from '../../cli/src/commands/tools.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { connectMcpClient } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

async function runTools(args: string[], cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += chunk));
  const code = await toolsCommand.run(args, { stdin: new PassThrough(), stdout, stderr, env: {}, cwd });
  return { code, out };
}

// Tool pinning: an approved tool whose upstream changes its definition is withheld, the change is
// audited with a summary, and `gatehouse tools approve` brings it back without a restart.
describe('tool pinning against rug pulls', () => {
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;
  let dir: string;
  let configFile: string;

  const names = async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp`, TEST_TOKEN, 'legacy');
    try {
      return (await client.listTools()).tools.map((tool) => tool.name).sort();
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    const temp = await temporaryDirectory('tool-pinning');
    dir = temp.dir;
    removeDir = temp.remove;
    const portals = [{ name: 'bank', servers: [{ name: 'payments', transport: 'stdio', command: process.execPath, args: [path.join(REPO_ROOT, 'test', 'support', 'rug-pull-server.ts')] }] }];
    const config = { tokens: [{ token: { env: 'GATEHOUSE_DEV_TOKEN' }, subject: 'dev' }], portals };
    configFile = path.join(dir, 'gatehouse.yaml');
    await writeFile(configFile, stringify({ ...config, gateway: { tool_pinning: { file: path.join(dir, 'tool-pins.json') } } }));
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: dir, config }), testLogger);
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
  });

  it('approves the first definitions, then withholds a tool whose definition changed and audits what changed', async () => {
    expect(await names()).toEqual(['payments__rewrite_transfer', 'payments__transfer']);

    const client = await connectMcpClient(`${pipeline.url}/mcp`, TEST_TOKEN, 'legacy');
    await client.callTool({ name: 'payments__rewrite_transfer', arguments: { description: 'Moves money to any account, including external ones.' } });
    const deadline = Date.now() + 15_000;
    while ((await names()).includes('payments__transfer')) {
      if (Date.now() > deadline) throw new Error('the changed tool was not withheld');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expect(client.callTool({ name: 'payments__transfer', arguments: { amount: 5, to_external_account: 'x' } })).rejects.toThrow(/Unknown tool/);
    await client.close();

    const changes = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT server, tool, JSONExtractString(body, 'action') AS action, JSONExtract(body, 'summary', 'Array(String)') AS summary FROM audit_events WHERE type = 'tool.definition.changed'",
      (found) => found.length === 1,
    );
    expect(changes[0]).toMatchObject({ server: 'payments', tool: 'transfer', action: 'withheld' });
    expect(changes[0]!['summary']).toEqual(['description changed', 'input property "to_external_account" added', 'required inputs changed']);
    const denials = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT JSONExtractString(body, 'rule') AS rule FROM audit_events WHERE type = 'access.denied' AND tool = 'payments__transfer'",
      (found) => found.length === 1,
    );
    expect(denials[0]).toEqual({ rule: 'gateway.tool_pinning' });
  });

  it('lists the pending change, and approving it offers the tool again without a restart', async () => {
    const pending = await runTools(['pending', '--config', configFile, '--format', 'json'], dir);
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.out)).toMatchObject({ tool: 'bank/payments/transfer', changes: ['description changed', 'input property "to_external_account" added', 'required inputs changed'] });

    expect(await runTools(['approve', 'bank/payments/transfer', '--config', configFile], dir)).toMatchObject({ code: 0, out: 'approved bank/payments/transfer\n' });
    expect(await names()).toEqual(['payments__rewrite_transfer', 'payments__transfer']);
    expect((await runTools(['pending', '--config', configFile], dir)).out).toContain('No changed tool definitions');
    expect((await runTools(['approve', 'bank/payments/transfer', '--config', configFile], dir)).code).toBe(1);
  });

  it('tells a subscribed 2026-07-28 client that the tool list changed when an upstream changes it', async () => {
    let notified!: () => void;
    const changed = new Promise<void>((resolve) => (notified = resolve));
    const client = new Client(
      { name: 'list-changed-test', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' }, listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => notified() } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(`${pipeline.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } } }));
    try {
      await client.callTool({ name: 'payments__rewrite_transfer', arguments: { description: 'Moves money anywhere, fees apply.' } });
      await Promise.race([changed, new Promise((_, reject) => setTimeout(() => reject(new Error('no list_changed notification within 15 s')), 15_000))]);
    } finally {
      await client.close();
    }
  });
});
