import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  createAuditBatchWriter,
  insertAuditRows,
  insertDeduplicationToken,
  toAuditEventRow,
} from '../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { migratedStoreForTests, queryRows } from './support/temp-store.ts';

const TOPIC = 'gatehouse.audit';

describe('exactly-once storage of redelivered batches', () => {
  const logger = pino({ level: 'silent' });
  const store = migratedStoreForTests();

  const countOfTrace = async (traceId: string) => {
    const [row] = await queryRows<{ n: string }>(store.connection, 'SELECT count() AS n FROM audit_events WHERE trace_id = {traceId:String}', { traceId });
    return Number(row?.n);
  };

  it('keeps one copy when the same batch is inserted twice with the same token', async () => {
    const context = uniqueContext();
    const batch = delivered(toolCallEvents(context), 100);
    const rows = batch.map((event) => toAuditEventRow(event, TOPIC));
    const token = insertDeduplicationToken(TOPIC, batch);

    await insertAuditRows(store.connection, 'audit_events', rows, token);
    await insertAuditRows(store.connection, 'audit_events', rows, token);

    expect(await countOfTrace(context.trace_id)).toBe(3);
  });

  it('keeps both copies under different tokens, so the deduplication above is the token at work', async () => {
    const context = uniqueContext();
    const batch = delivered(toolCallEvents(context), 100);
    const rows = batch.map((event) => toAuditEventRow(event, TOPIC));

    await insertAuditRows(store.connection, 'audit_events', rows, `${insertDeduplicationToken(TOPIC, batch)}-a`);
    await insertAuditRows(store.connection, 'audit_events', rows, `${insertDeduplicationToken(TOPIC, batch)}-b`);

    expect(await countOfTrace(context.trace_id)).toBe(6);
  });

  it('leaves the deduplication token to its own insert: a later insert without one is stored', async () => {
    const context = uniqueContext();
    const batch = delivered(toolCallEvents(context), 100);
    const rows = batch.map((event) => toAuditEventRow(event, TOPIC));
    await insertAuditRows(store.connection, 'audit_events', rows.slice(0, 1), 'token-of-an-earlier-insert');

    await store.connection.insert({ table: 'audit_events', values: rows.slice(1), format: 'JSONEachRow' });

    expect(await countOfTrace(context.trace_id)).toBe(3);
  });

  it('stores a batch redelivered to a fresh writer once', async () => {
    const context = uniqueContext();
    const batch = delivered(toolCallEvents(context), 200);

    const first = await createAuditBatchWriter({ connection: store.connection, logger }).write(TOPIC, batch);
    const again = await createAuditBatchWriter({ connection: store.connection, logger }).write(TOPIC, batch);

    expect(first).toEqual({ inserted: 3, alreadyStored: 0 });
    expect(again).toEqual({ inserted: 0, alreadyStored: 3 });
    expect(await countOfTrace(context.trace_id)).toBe(3);
  });

  it('stores each event once when a redelivery has other bounds than the batch already stored', async () => {
    const context = uniqueContext();
    const events = [...toolCallEvents(context), ...toolCallEvents(context)];
    const writer = createAuditBatchWriter({ connection: store.connection, logger });
    await writer.write(TOPIC, delivered(events.slice(0, 2), 300));

    // The acknowledgement was lost: the bus hands over everything pending from the same offset.
    const retried = await createAuditBatchWriter({ connection: store.connection, logger }).write(TOPIC, delivered(events, 300));

    expect(retried).toEqual({ inserted: 4, alreadyStored: 2 });
    const ids = await queryRows<{ id: string }>(store.connection, 'SELECT toString(event_id) AS id FROM audit_events WHERE trace_id = {t:String} ORDER BY kafka_offset', { t: context.trace_id });
    expect(ids.map((row) => row.id)).toEqual(events.map((event) => event.id));
  });

  it('stores different events that reuse offsets, as a restarted in-process bus produces', async () => {
    const context = uniqueContext();
    const firstRun = toolCallEvents(context);
    const secondRun = toolCallEvents(context);

    await createAuditBatchWriter({ connection: store.connection, logger }).write(TOPIC, delivered(firstRun, 0));
    await createAuditBatchWriter({ connection: store.connection, logger }).write(TOPIC, delivered(secondRun, 0));

    expect(await countOfTrace(context.trace_id)).toBe(6);
  });

  it('skips the stored-check for a batch continuing the last one, and still stores it', async () => {
    const context = uniqueContext();
    const events = [...toolCallEvents(context), ...toolCallEvents(context)];
    const writer = createAuditBatchWriter({ connection: store.connection, logger });

    await writer.write(TOPIC, delivered(events.slice(0, 3), 400));
    const next = await writer.write(TOPIC, delivered(events.slice(3), 403));

    expect(next).toEqual({ inserted: 3, alreadyStored: 0 });
    expect(await countOfTrace(context.trace_id)).toBe(6);
  });
});
