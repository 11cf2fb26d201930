import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, migrate, runComplianceQuery, type ReadOnlyQueryResult } from '../src/index.ts';
import { FIXTURE_FROM, FIXTURE_TO, storeComplianceFixture, type ComplianceFixture } from './support/compliance-fixture.ts';
import { openTempStore, type TempStore } from './support/temp-store.ts';

const records = (result: ReadOnlyQueryResult) => result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));

describe('named compliance queries on the stored trail', () => {
  let store: TempStore;
  let fixture: ComplianceFixture;
  const day = { from: FIXTURE_FROM, to: FIXTURE_TO };
  const run = async (name: string, params: Record<string, string>) => records(await runComplianceQuery(store.connection, name, params));

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
    fixture = await storeComplianceFixture(store.connection);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('calls: who called a tool in the range, and how each call ended', async () => {
    const rows = await run('calls', { ...day, tool: 'lookup_customer' });

    expect(rows.map((row) => [row['time'], row['principal_subject'], row['outcome']])).toEqual([
      ['2026-03-14 08:00:00.000', fixture.alice.principal.subject, 'allowed'],
      ['2026-03-14 09:00:00.000', fixture.alice.principal.subject, 'redacted'],
      ['2026-03-14 09:30:00.000', fixture.alice.principal.subject, 'blocked'],
    ]);
    expect(await run('calls', { ...day, server: 'tickets', from: '2026-03-14T09:40:00Z', to: '2026-03-14T12:00:00Z' })).toHaveLength(2);
  });

  it('binds values, never splices them: a quote in a parameter is just a character', async () => {
    expect(await run('calls', { ...day, tool: "lookup_customer' OR '1'='1" })).toEqual([]);
    expect(await run('calls', { ...day, server: "x') OR 1=1 --" })).toEqual([]);
  });

  it('dlp_actions: every block and redaction with its profile, detectors and principal', async () => {
    const rows = await run('dlp_actions', { ...day, profile: 'strict' });

    expect(rows.map((row) => [row['decision'], row['profile'], row['detectors'], row['principal_subject'], row['tool']])).toEqual([
      ['redact', 'strict', 'us_ssn', fixture.alice.principal.subject, 'lookup_customer'],
      ['block', 'strict', 'us_ssn', fixture.alice.principal.subject, 'lookup_customer'],
    ]);
    expect(await run('dlp_actions', { ...day, profile: 'other' })).toEqual([]);
  });

  it('denied_calls: per principal, with the reasons', async () => {
    const rows = await run('denied_calls', day);

    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ principal_subject: fixture.mallory.principal.subject, denied: '2', blocked: '0', refused: '0', denial_reasons: ['invalid_token', 'unknown_tool'] });
    expect(rows.slice(1)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principal_subject: fixture.alice.principal.subject, denied: '0', blocked: '1', refused: '0' }),
        expect.objectContaining({ principal_subject: fixture.bob.principal.subject, denied: '0', blocked: '0', refused: '1' }),
      ]),
    );
  });

  it('call_trace: every event of one call in order', async () => {
    const rows = await run('call_trace', { trace_id: fixture.traceId });

    expect(rows.map((row) => [row['type'], row['decision']])).toEqual([
      ['tool.call.received', ''],
      ['dlp.verdict', 'redact'],
      ['tool.call.completed', 'redacted'],
    ]);
  });

  it('coverage: names the call without an outcome, and passes refused calls without a verdict', async () => {
    const rows = await run('coverage', day);

    expect(rows).toEqual([expect.objectContaining({ missing: 'outcome', received: '1', argument_verdicts: '1', outcomes: '0', principal_subject: fixture.bob.principal.subject })]);
  });

  it('config_changes: answers with its columns even before any config event exists', async () => {
    const result = await runComplianceQuery(store.connection, 'config_changes', day);
    expect(result.columns.map((column) => column.name)).toEqual(['time', 'type', 'principal_subject', 'principal_email', 'gateway', 'body']);
    expect(result.rows).toEqual([]);
  });

  it('silent_gateways: the instance that stopped sending hours before the end of the range', async () => {
    const rows = await run('silent_gateways', { ...day, silent_minutes: '300' });

    expect(rows.map((row) => [row['gateway'], row['last_seen']])).toEqual([['gw-a', '2026-03-14 11:05:00.000']]);
  });

  it('sequence_gaps: positions missing from a chain', async () => {
    expect(await run('sequence_gaps', day)).toEqual([]);
    await store.connection.command({
      query: 'ALTER TABLE audit_events DELETE WHERE kafka_topic = {topic:String} AND seq IN (4, 5)',
      query_params: { topic: fixture.topic },
      clickhouse_settings: { mutations_sync: '2' },
    });

    expect(await run('sequence_gaps', day)).toEqual([
      expect.objectContaining({ kafka_topic: fixture.topic, first_missing_seq: '4', last_missing_seq: '5', missing: '2' }),
    ]);
  });

  it('retention_proof: the oldest record and the retention ClickHouse enforces', async () => {
    await applyRetention(store.connection, 400);

    const [proof] = await run('retention_proof', {});

    expect(proof).toMatchObject({ oldest_record: '2026-03-14 08:00:00.000', online_window_days: 90, retention_days: 400 });
  });
});
