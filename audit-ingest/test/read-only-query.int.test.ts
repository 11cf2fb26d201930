import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditBatchWriter, formatRowsAsTable, migrate, runReadOnlyQuery } from '../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

describe('read-only audit queries', () => {
  let store: TempStore;
  const context = uniqueContext();

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
    const writer = createAuditBatchWriter({ connection: store.connection, logger: pino({ level: 'silent' }) });
    await writer.write('gatehouse.audit', delivered(toolCallEvents(context)));
  });
  afterAll(async () => {
    await store.dispose();
  });

  const storedCount = async () => Number((await queryRows<{ n: string }>(store.connection, 'SELECT count() AS n FROM audit_events'))[0]?.n);

  it('returns the columns with their types and the rows in order', async () => {
    const result = await runReadOnlyQuery(
      store.connection,
      `SELECT type, decision, count() AS calls FROM audit_events WHERE trace_id = '${context.trace_id}' GROUP BY type, decision ORDER BY type;`,
    );

    expect(result.columns).toEqual([
      { name: 'type', type: 'LowCardinality(String)' },
      { name: 'decision', type: 'LowCardinality(String)' },
      { name: 'calls', type: 'UInt64' },
    ]);
    expect(result.rows).toEqual([
      ['dlp.verdict', 'redact', '1'],
      ['tool.call.completed', 'redacted', '1'],
      ['tool.call.received', '', '1'],
    ]);
    expect(formatRowsAsTable(result)).toContain('dlp.verdict         | redact   |     1');
  });

  it('answers SHOW, DESCRIBE, EXPLAIN and WITH', async () => {
    expect((await runReadOnlyQuery(store.connection, 'SHOW TABLES')).rows.flat()).toContain('audit_events');
    expect((await runReadOnlyQuery(store.connection, 'DESCRIBE TABLE audit_events')).rows.map((row) => row[0])).toContain('principal_subject');
    expect((await runReadOnlyQuery(store.connection, 'EXPLAIN SELECT 1')).columns).toEqual([{ name: 'explain', type: 'String' }]);
    expect((await runReadOnlyQuery(store.connection, 'WITH 2 AS two SELECT two * 21 AS answer')).rows).toEqual([[42]]);
  });

  it.each([
    ["INSERT INTO audit_events (event_id, trace_id) VALUES (generateUUIDv4(), 'x')", /starts with INSERT, which is not a read/],
    ['ALTER TABLE audit_events DELETE WHERE 1', /starts with ALTER/],
    ['DROP TABLE audit_events', /starts with DROP/],
    ['CREATE TABLE stolen (a UInt8) ENGINE = Memory', /starts with CREATE/],
    ['SELECT 1; DROP TABLE audit_events', /more than one statement/],
  ])('refuses %s with a clear error and changes nothing', async (sql, reason) => {
    const before = await storedCount();

    const refusal = runReadOnlyQuery(store.connection, sql);

    await expect(refusal).rejects.toMatchObject({ code: 'GH_ERR_AUDIT_QUERY_NOT_READ_ONLY' });
    await expect(refusal).rejects.toThrow(reason);
    await expect(refusal).rejects.toThrow(/audit data can only be read here/);
    expect(await storedCount()).toBe(before);
    expect((await queryRows(store.connection, "SELECT name FROM system.tables WHERE name IN ('audit_events', 'stolen')")).length).toBe(1);
  });

  it('relies on ClickHouse readonly mode for a read that reaches outside the store', async () => {
    await expect(runReadOnlyQuery(store.connection, "SELECT * FROM file('/etc/hostname', 'LineAsString')")).rejects.toMatchObject({
      code: 'GH_ERR_AUDIT_QUERY_NOT_READ_ONLY',
      message: expect.stringMatching(/refused the statement in read-only mode/),
    });
  });

  it('leaves the connection writable after a read-only query', async () => {
    await runReadOnlyQuery(store.connection, 'SELECT 1');

    const writer = createAuditBatchWriter({ connection: store.connection, logger: pino({ level: 'silent' }) });
    const result = await writer.write('gatehouse.audit', delivered(toolCallEvents(uniqueContext()), 10));

    expect(result.inserted).toBe(3);
  });

  it('reports a failing read with the ClickHouse reason', async () => {
    await expect(runReadOnlyQuery(store.connection, 'SELECT no_such_column FROM audit_events')).rejects.toMatchObject({
      code: 'GH_ERR_AUDIT_QUERY_FAILED',
      message: expect.stringMatching(/no_such_column/),
    });
  });
});
