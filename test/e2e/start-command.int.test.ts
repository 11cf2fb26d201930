import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { connectMcpClient, firstText } from '../support/mcp-client.ts';
import { temporaryDirectory } from '../support/pipeline.ts';
import { startRoleProcess, type RoleProcess } from '../support/role-process.ts';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'cli', 'src', 'main.ts');

// What a newcomer does: `gatehouse start` with no config, an MCP client, then `gatehouse audit query`
// from another process while the embedded gateway holds the store, and again after it stopped.
describe('gatehouse start (the demo) and gatehouse audit query', () => {
  const token = 'gh_dev_start_command_test_token';
  let start: RoleProcess & { match: RegExpMatchArray };
  let workDir: string;
  let removeDir: () => Promise<void>;

  const auditQuery = (sql: string) => run(process.execPath, [CLI, 'audit', 'query', sql, '--format', 'json'], { cwd: workDir, env: { PATH: process.env['PATH'] ?? '' } });

  beforeAll(async () => {
    const temp = await temporaryDirectory('start-command');
    workDir = temp.dir;
    removeDir = temp.remove;
    start = await startRoleProcess('start', [], { GATEHOUSE_DEV_TOKEN: token, PORT: '0' }, /MCP URL: (http:\/\/\S+\/mcp)/, 60_000, workDir);
  });

  afterAll(async () => {
    await start?.stop();
    await removeDir?.();
  });

  it('prints the MCP URL and the development token from GATEHOUSE_DEV_TOKEN', () => {
    expect(start.output()).toContain(`Bearer token: ${token}`);
    expect(start.match[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('serves the demo, and audit query reaches the running process for the rows', async () => {
    const client = await connectMcpClient(start.match[1]!, token, 'legacy');
    const result = await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1003' } });
    await client.close();
    expect(firstText(result)).toContain('[REDACTED:payment_card]');

    const { stdout } = await auditQuery("SELECT type, decision FROM audit_events WHERE tool = 'get_customer' AND type = 'tool.call.completed'");
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ type: 'tool.call.completed', decision: 'redacted' }]);
  });

  it('refuses a write through audit query with a clear error', async () => {
    await expect(auditQuery('ALTER TABLE audit_events DELETE WHERE 1')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/not a read/) });
  });

  it('after Ctrl+C, audit query opens the store itself and finds the same rows', async () => {
    await start.stop();
    const { stdout } = await auditQuery("SELECT count() AS calls FROM audit_events WHERE type = 'tool.call.received'");
    expect(JSON.parse(stdout)).toEqual({ calls: '1' });
  });
});
