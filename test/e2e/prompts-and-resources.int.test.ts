import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { connectMcpClient, type ClientEra } from '../support/mcp-client.ts';
import { temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';

const SUPPORT = 'gh_support_token_000000000001';
const SALES = 'gh_sales_token_00000000000002';
const demo = { transport: 'stdio', command: process.execPath, args: [path.join(REPO_ROOT, 'demo', 'customer-records-server.ts')] };

// Prompts and resources pass the same policy and the same DLP checks as tools: a caller sees only
// what their groups allow, and a resource or prompt carrying a card number or SSN is redacted.
describe('prompts and resources through the gateway', () => {
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;

  beforeAll(async () => {
    const temp = await temporaryDirectory('prompts-resources');
    removeDir = temp.remove;
    const config = {
      tokens: [
        { token: { env: 'SUPPORT_TOKEN' }, subject: 'sam', groups: ['support'] },
        { token: { env: 'SALES_TOKEN' }, subject: 'sue', groups: ['sales'] },
      ],
      portals: [{ name: 'demo', servers: [{ name: 'customers', ...demo, access: { groups: ['support'] } }, { name: 'catalog', ...demo, prompts: { mode: 'allow_list' } }] }],
    };
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir, config, env: { SUPPORT_TOKEN: SUPPORT, SALES_TOKEN: SALES } }), testLogger);
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
  });

  for (const era of ['legacy', 'modern'] as ClientEra[]) {
    it(`a ${era} client gets a prompt and reads a resource with the card number and SSN redacted`, async () => {
      const client = await connectMcpClient(`${pipeline.url}/mcp`, SUPPORT, era);
      try {
        expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['customers__customer_brief']);
        const prompt = await client.getPrompt({ name: 'customers__customer_brief', arguments: { id: 'cus_1001' } });
        const promptText = JSON.stringify(prompt.messages);
        expect(promptText).toContain('Maria Gonzalez');
        expect(promptText).not.toContain('4539 1488 0343 6467');
        expect(promptText).toContain('[REDACTED:us_ssn]');

        const uris = (await client.listResources()).resources.map((resource) => resource.uri);
        expect(uris).toContain('customers://cus_1002');
        const read = await client.readResource({ uri: 'customers://cus_1002' });
        const text = JSON.stringify(read.contents);
        expect(text).toContain("James O'Connor");
        expect(text).not.toContain('287-65-4310');
        expect(text).toContain('[REDACTED:payment_card]');
      } finally {
        await client.close();
      }
    });
  }

  it("hides another group's prompts and resources, and refuses reading them like unknown ones", async () => {
    const client = await connectMcpClient(`${pipeline.url}/mcp`, SALES, 'legacy');
    try {
      expect((await client.listPrompts()).prompts).toEqual([]);
      expect((await client.listResources()).resources.every((resource) => resource.uri.startsWith('customers://'))).toBe(true);
      await expect(client.getPrompt({ name: 'customers__customer_brief', arguments: { id: 'cus_1001' } })).rejects.toThrow(/Unknown prompt/);
    } finally {
      await client.close();
    }
    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT tool, JSONExtractString(body, 'rule') AS rule FROM audit_events WHERE type = 'access.denied' AND principal_subject = 'sue'",
      (found) => found.length === 1,
    );
    expect(rows[0]).toEqual({ tool: 'customers__customer_brief', rule: 'portals[demo].servers[customers].access' });
  });

  it('audits each prompt and resource read with its name or URI and the DLP decision', async () => {
    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      "SELECT JSONExtractString(body, 'operation') AS operation, tool, decision FROM audit_events WHERE type = 'tool.call.completed' AND JSONExtractString(body, 'operation') != '' ORDER BY operation, tool",
      (found) => found.length === 4,
    );
    expect(rows).toEqual([
      { operation: 'prompts/get', tool: 'customer_brief', decision: 'redacted' },
      { operation: 'prompts/get', tool: 'customer_brief', decision: 'redacted' },
      { operation: 'resources/read', tool: 'customers://cus_1002', decision: 'redacted' },
      { operation: 'resources/read', tool: 'customers://cus_1002', decision: 'redacted' },
    ]);
  });
});
