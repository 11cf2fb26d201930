import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';

const run = promisify(execFile);
const INSPECTOR = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');

// A third-party MCP client, the official MCP Inspector CLI in its own process, against the gateway.
describe('MCP Inspector CLI through the gateway', () => {
  let pipeline: EmbeddedPipeline;
  let home: string;
  let removeDir: () => Promise<void>;

  const inspector = (args: string[]) =>
    run(process.execPath, [INSPECTOR, '--cli', `${pipeline.url}/mcp`, '--transport', 'http', ...args], {
      // Its own HOME, so it neither reads nor writes the developer's Inspector catalog and secrets.
      env: { PATH: process.env['PATH'] ?? '', HOME: home },
      timeout: 60_000,
    });

  beforeAll(async () => {
    const temp = await temporaryDirectory('inspector');
    home = temp.dir;
    removeDir = temp.remove;
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir }), testLogger);
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
  });

  it('lists the tools with a bearer token', async () => {
    const { stdout } = await inspector(['--method', 'tools/list', '--header', `Authorization: Bearer ${TEST_TOKEN}`]);
    const names = (JSON.parse(stdout) as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['customers__get_customer', 'customers__echo']));
  });

  it('calls a tool, and gets the customer record redacted', async () => {
    const echo = await inspector(['--method', 'tools/call', '--tool-name', 'customers__echo', '--tool-arg', 'message=hello inspector', '--header', `Authorization: Bearer ${TEST_TOKEN}`]);
    expect(JSON.parse(echo.stdout)).toEqual({ content: [{ type: 'text', text: 'hello inspector' }] });
    const customer = await inspector(['--method', 'tools/call', '--tool-name', 'customers__get_customer', '--tool-arg', 'id=cus_1002', '--header', `Authorization: Bearer ${TEST_TOKEN}`]);
    expect(customer.stdout).toContain('[REDACTED:us_ssn]');
    expect(customer.stdout).not.toContain('287-65-4310');
  });

  it('without a token, gets the 401 challenge and turns to OAuth (which it cannot do without a terminal)', async () => {
    const failure = await inspector(['--method', 'tools/list']).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 3 });
    expect(`${(failure as { stdout: string }).stdout}${(failure as { stderr: string }).stderr}`).toContain('auth_required');
  });
});
