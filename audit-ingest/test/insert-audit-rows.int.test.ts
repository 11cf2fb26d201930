import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainDeliveredEvents, EMPTY_CHAIN, insertAuditRows, toAuditEventRow, type AuditEventRow } from '../src/index.ts';
import { delivered, fixedClock, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { migratedStoreForTests, queryRows } from './support/temp-store.ts';

describe('audit rows inserted in RowBinary', () => {
  const store = migratedStoreForTests();

  /** The inserted columns as ClickHouse returns them, which is how verify reads rows back to hash them. */
  const storedOf = (topic: string) =>
    queryRows<Record<string, unknown>>(
      store.connection,
      `SELECT event_id, time, type, version, trace_id, gateway, principal_subject, principal_email, principal_groups, portal, server, tool,
              decision, correlation_id, body, kafka_topic, kafka_partition, kafka_offset, seq, leaf_hash, chain_hash
       FROM audit_events WHERE kafka_topic = {topic:String} ORDER BY seq`,
      { topic },
      { output_format_json_quote_64bit_integers: 1 },
    );

  it('reads back exactly as written: long and non-ASCII text, no groups or many, offsets beyond 2^53, times before 1970', async () => {
    const topic = `rows-${randomUUID()}`;
    const context = uniqueContext({
      principal: { subject: 'Zoë Ünal 🔑', email: 'zoë@example.com', groups: [] },
      server: `s;\n\t\\"'${'€'.repeat(60)}`,
    });
    const events = [
      ...toolCallEvents(context, fixedClock('1969-12-31T23:59:59.999Z')),
      ...toolCallEvents({ ...context, principal: { subject: 'many', email: '', groups: Array.from({ length: 150 }, (_, index) => `group-${index}-Ω`) } }),
    ];
    const batch = delivered(events, 0, 4).map((event, index) => ({ ...event, offset: String(9007199254740993n + BigInt(index)) }));
    const { rows } = chainDeliveredEvents(batch, topic, EMPTY_CHAIN);

    await insertAuditRows(store.connection, 'audit_events', rows, `rows-${topic}`);

    expect(await storedOf(topic)).toEqual(rows.map((row) => ({ ...row, seq: String(row.seq) })));
  });

  it('fails the insert with the reason when a row cannot be written, and stores none of it', async () => {
    const topic = `rows-${randomUUID()}`;
    const rows: AuditEventRow[] = delivered(toolCallEvents(uniqueContext())).map((event) => toAuditEventRow(event, topic));
    rows[1] = { ...rows[1]!, event_id: 'not-a-uuid' };

    await expect(insertAuditRows(store.connection, 'audit_events', rows, `rows-${topic}`)).rejects.toThrow(/not a UUID: "not-a-uuid"/);
    expect(await storedOf(topic)).toEqual([]);
  });
});
