import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditBatchWriter, createCheckpointer, createClickHouseConnection, signerFromKeyFile } from '../../audit-ingest/src/index.ts';
import { createEvent, systemClock, type Event } from '../../events/src/index.ts';
import { REPO_ROOT } from '../src/config/load-settings.ts';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'cli', 'src', 'main.ts');
const PRINCIPAL = { subject: 'alice', email: 'alice@example.test', groups: ['support'] };

/** The demo's store (./data/chdb) with `calls` tool calls of 2026-03-14 stored and signed the way `gatehouse start` does. */
async function storeSignedCalls(dir: string, calls: number): Promise<Event[]> {
  const connection = createClickHouseConnection({ kind: 'chdb', path: path.join(dir, 'data', 'chdb') });
  const logger = pino({ level: 'silent' });
  const signer = signerFromKeyFile(path.join(dir, 'data', 'audit-signing-key.pem'), true);
  const checkpointer = createCheckpointer({ connection, signer, directory: path.join(dir, 'data', 'checkpoints'), everyEvents: 4, clock: systemClock, logger });
  const writer = createAuditBatchWriter({ connection, logger, checkpointer });
  const clock = { now: () => Date.parse('2026-03-14T09:00:00Z') };
  const events = Array.from({ length: calls }, (_, i) => {
    const context = { trace_id: `trace-cli-${i}`, gateway: 'gw-1', principal: PRINCIPAL, portal: 'demo', server: 'customers', tool: 'get_customer' };
    return [
      createEvent('tool.call.received', context, { correlation_id: `call-${i}`, arguments_bytes: 2 }, clock),
      createEvent('tool.call.completed', context, { correlation_id: `call-${i}`, outcome: 'allowed', reason: '', latency_ms: 5 }, clock),
    ];
  }).flat();
  try {
    await writer.write('gatehouse.audit', events.map((event, offset) => ({ event, partition: 0, offset: String(offset) })));
    await checkpointer.checkpointAll();
  } finally {
    await connection.close();
  }
  return events;
}

describe('gatehouse audit migrate, verify and named queries', () => {
  let dir: string;
  let events: Event[];
  const gatehouse = (args: string[]) => run(process.execPath, [CLI, 'audit', ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' } });
  const failureOf = (args: string[]) =>
    gatehouse(args).then(
      () => {
        throw new Error(`expected "audit ${args.join(' ')}" to fail`);
      },
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-audit-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrate creates the schema with the retention asked for, and refuses less than a year', async () => {
    const { stdout } = await gatehouse(['migrate', '--retention-days', '400']);
    expect(stdout).toBe('Audit schema: applied 1, 2, 3; now at version 3.\nRetention: 400 days (set on audit_events, audit_checkpoints).\n');

    expect((await gatehouse(['migrate'])).stdout).toBe('Audit schema is current (version 3).\nRetention: 400 days.\n');
    const refused = await failureOf(['migrate', '--retention-days', '90']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GH_ERR_AUDIT_RETENTION_TOO_SHORT');
  });

  it('verify reports OK on an untouched trail, and the public key can be exported', async () => {
    events = await storeSignedCalls(dir, 5);

    const { stdout } = await gatehouse(['verify']);

    expect(stdout).toContain('chain gatehouse.audit/0: seq 0..9, 10 rows, 1 checkpoint, 0 rows not yet signed');
    expect(stdout.trim().split('\n').at(-1)).toBe('OK: 1 chain, 10 rows; every row, link and checkpoint verified.');
    expect((await gatehouse(['verify', '--export-public-key'])).stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
  });

  it('runs named queries with parameters, as a table, CSV or JSON', async () => {
    const csv = await gatehouse(['query', '--name', 'call_trace', '--param', 'trace_id=trace-cli-3', '--format', 'csv']);
    expect(csv.stdout.split('\r\n').slice(0, 3)).toEqual([
      'time,type,decision,principal_subject,portal,server,tool,correlation_id,body,gateway,kafka_partition,seq',
      `2026-03-14 09:00:00.000,tool.call.received,,alice,demo,customers,get_customer,call-3,"{""arguments_bytes"":2,""correlation_id"":""call-3""}",gw-1,0,6`,
      `2026-03-14 09:00:00.000,tool.call.completed,allowed,alice,demo,customers,get_customer,call-3,"{""correlation_id"":""call-3"",""latency_ms"":5,""outcome"":""allowed"",""reason"":""""}",gw-1,0,7`,
    ]);
    const json = await gatehouse(['query', '--name', 'calls', '--param', 'from=2026-03-14', '--param', 'to=2026-03-15', '--param', 'tool=get_customer', '--format', 'json']);
    const rows = json.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ principal_subject: 'alice', server: 'customers', outcome: 'allowed' });
    expect((await gatehouse(['query', '--list'])).stdout).toContain('retention_proof: ');
    expect((await gatehouse(['query', 'SELECT count() AS n FROM audit_events'])).stdout).toContain('10');
  });

  it('refuses unknown queries and parameters with a clear error', async () => {
    const unknown = await failureOf(['query', '--name', 'everything']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('GH_ERR_AUDIT_QUERY_UNKNOWN');
    const badParam = await failureOf(['query', '--name', 'calls', '--param', 'from']);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toContain('--param expects name=value');
  });

  it('verify names an altered row and exits 1', async () => {
    const connection = createClickHouseConnection({ kind: 'chdb', path: path.join(dir, 'data', 'chdb') });
    try {
      await connection.command({
        query: "ALTER TABLE audit_events UPDATE decision = 'blocked' WHERE event_id = {id:UUID}",
        query_params: { id: events[3]!.id },
        clickhouse_settings: { mutations_sync: '2' },
      });
    } finally {
      await connection.close();
    }

    const failed = await failureOf(['verify']);

    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`CHANGED gatehouse.audit/0 seq 3 event ${events[3]!.id}: its content does not match its leaf hash`);
    expect(failed.stdout).toContain('FAILED: 2 problems (1 changed, 1 checkpoint mismatch).');
  });
});
