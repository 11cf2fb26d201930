import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { CUSTOMER_RECORDS } from '../../demo/customer-records.ts';
import { connectMcpClient } from '../../test/support/mcp-client.ts';
import { temporaryDirectory } from '../../test/support/pipeline.ts';
import { startRoleProcess, type RoleProcess } from '../../test/support/role-process.ts';
import type { Event } from '../../events/src/index.ts';
import { createClickHouseConnection, migrate } from '../src/index.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { storeEvents } from './export-support/export-rows.ts';
import { waitFor } from './export-support/wait-for.ts';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'cli', 'src', 'main.ts');

interface ExportRun {
  lines: string[];
  cursor: string;
}

// `gatehouse audit export` as a user runs it: on a store nobody holds, then through a running `gatehouse start`.
describe('gatehouse audit export', () => {
  const token = 'gh_dev_export_command_test_token';
  let dir: string;
  let removeDir: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  let stored: Event[];
  let start: RoleProcess | undefined;

  const auditExport = async (...args: string[]): Promise<ExportRun> => {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'audit', 'export', '--settle-ms', '0', ...args], { cwd: dir, env });
    const cursor = /^cursor: (\S+)$/m.exec(stderr)?.[1];
    if (!cursor) throw new Error(`no cursor in stderr: ${stderr}`);
    return { lines: stdout.split('\n').filter(Boolean), cursor };
  };
  const recordIds = (events: Event[]) => events.map((event) => (event.type === 'dlp.verdict' ? `${event.id}/0` : event.id));
  const ocsfIds = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { metadata: { uid: string } }).metadata.uid);

  beforeAll(async () => {
    ({ dir, remove: removeDir } = await temporaryDirectory('export-command'));
    const chdbPath = path.join(dir, 'chdb');
    env = { PATH: process.env['PATH'] ?? '', GATEHOUSE_CHDB_PATH: chdbPath };
    const connection = createClickHouseConnection({ kind: 'chdb', path: chdbPath });
    await migrate(connection);
    stored = Array.from({ length: 2 }, () => toolCallEvents(uniqueContext())).flat();
    await storeEvents(connection, stored);
    // Hands the store to the child processes: a chDB directory admits one process at a time.
    await connection.close();
  });
  afterAll(async () => {
    await start?.stop();
    await removeDir?.();
  });

  it('streams every record as NDJSON and ends with a cursor that continues without a gap or a repeat', async () => {
    const all = await auditExport('--format', 'ocsf');
    expect(ocsfIds(all.lines).sort()).toEqual(recordIds(stored).sort());

    const first = await auditExport('--format', 'cef', '--max-rows', '2');
    const rest = await auditExport('--format', 'cef', '--since', first.cursor);
    const cefIds = [...first.lines, ...rest.lines].map((line) => /externalId=(\S+)/.exec(line)?.[1]);
    expect(first.lines).toHaveLength(2);
    expect(cefIds.sort()).toEqual(recordIds(stored).sort());
    expect(rest.cursor).toBe(all.cursor);
    expect((await auditExport('--format', 'ecs', '--since', all.cursor)).lines).toEqual([]);
  });

  it('rejects a bad format or cursor with the fix', async () => {
    await expect(auditExport('--format', 'xml')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of ocsf, cef, ecs, hec') });
    await expect(auditExport('--format', 'ocsf', '--since', 'last tuesday')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('GH_ERR_EXPORT_CURSOR_INVALID') });
  });

  it('reads through a running gatehouse start, which holds the store, and picks up its new records', async () => {
    const before = await auditExport('--format', 'ocsf');
    const running = await startRoleProcess('start', [], { ...env, GATEHOUSE_DEV_TOKEN: token, PORT: '0' }, /MCP URL: (http:\/\/\S+\/mcp)/, 60_000, dir);
    start = running;

    const client = await connectMcpClient(running.match[1]!, token, 'legacy');
    await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1003' } });
    await client.close();

    const after = await waitFor(
      () => auditExport('--format', 'hec', '--since', before.cursor),
      (result) => result.lines.some((line) => line.includes('"event_type":"tool.call.completed"')),
      'the call of the running gateway reaching the export',
    );
    const events = after.lines.map((line) => JSON.parse(line) as { event: { class_uid: number; metadata: { uid: string } }; fields: { tool: string; event_type: string } });
    const ofTheCall = events.filter((event) => event.fields.event_type.startsWith('tool.call.') || event.fields.event_type === 'dlp.verdict');
    expect(ofTheCall.map((event) => [event.fields.event_type, event.fields.tool])).toEqual(
      expect.arrayContaining([['tool.call.received', 'get_customer'], ['tool.call.completed', 'get_customer'], ['dlp.verdict', 'get_customer']]),
    );
    expect(events.map((event) => event.event.class_uid)).toContain(2006);
    expect(events.map((event) => event.event.metadata.uid)).not.toContain(ocsfIds(before.lines)[0]);
    // The customer's card and SSN were in the tool's result: neither reaches the export, in any spelling.
    // (A pattern for card-like digits matched random trace ids now and then.)
    const customer = CUSTOMER_RECORDS.find((record) => record.id === 'cus_1003')!;
    const exported = JSON.stringify(events);
    for (const secret of [customer.card_number, customer.card_number.replaceAll(' ', ''), customer.ssn, customer.ssn.replaceAll('-', '')]) {
      expect(exported).not.toContain(secret);
    }
  });
});
