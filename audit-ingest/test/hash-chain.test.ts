import { describe, expect, it } from 'vitest';
import {
  canonicalEventRecord,
  chainDeliveredEvents,
  canonicalJson,
  EMPTY_CHAIN,
  eventLeafHash,
  extendChain,
  nextChainHash,
  toAuditEventRow,
  type AuditEventRow,
} from '../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './support/audit-events.ts';

describe('per-partition hash chain', () => {
  const rows = delivered(toolCallEvents(uniqueContext()), 7).map((event) => toAuditEventRow(event, 'gatehouse.audit'));

  it('hashes the event as canonical JSON, with the body as the JSON it holds', () => {
    const record = JSON.parse(canonicalEventRecord(rows[1]!));
    expect(record.body.findings[0].detector).toBe('email');
    expect(record.kafka).toEqual({ topic: 'gatehouse.audit', partition: 0, offset: '8' });
    // The same body spelt with other whitespace or member order is the same event.
    const respelt = { ...rows[1]!, body: JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(rows[1]!.body)).reverse()), null, 2) };
    expect(eventLeafHash(respelt)).toBe(eventLeafHash(rows[1]!));
    expect(eventLeafHash({ ...rows[1]!, decision: 'allow' })).not.toBe(eventLeafHash(rows[1]!));
  });

  it('writes the record exactly as canonicalJson writes it as one object', () => {
    const asObject = (row: AuditEventRow) =>
      canonicalJson({
        body: JSON.parse(row.body),
        correlation_id: row.correlation_id,
        decision: row.decision,
        event_id: row.event_id.toLowerCase(),
        gateway: row.gateway,
        kafka: { offset: row.kafka_offset, partition: row.kafka_partition, topic: row.kafka_topic },
        portal: row.portal,
        principal: { email: row.principal_email, groups: row.principal_groups, subject: row.principal_subject },
        server: row.server,
        time: row.time,
        tool: row.tool,
        trace_id: row.trace_id,
        type: row.type,
        version: row.version,
      });
    const unusual = { ...rows[1]!, principal_email: 'quote"back\\slash\u2028@example.com', principal_groups: ['b', 'a\u0000'], tool: '\ud800' };
    for (const row of [...rows, unusual]) expect(canonicalEventRecord(row)).toBe(asObject(row));
  });

  it('chains delivered events exactly as extendChain chains their rows read back', () => {
    const events = delivered(toolCallEvents(uniqueContext()), 7);
    const rowsOf = events.map((event) => toAuditEventRow(event, 'gatehouse.audit'));
    expect(chainDeliveredEvents(events, 'gatehouse.audit', EMPTY_CHAIN)).toEqual(extendChain(rowsOf, EMPTY_CHAIN));
  });

  it('numbers rows from the tail and links each chain hash to the one before', () => {
    const first = extendChain(rows.slice(0, 2), EMPTY_CHAIN);
    const second = extendChain(rows.slice(2), first.tail);

    const all = [...first.rows, ...second.rows];
    expect(all.map((row) => row.seq)).toEqual([0, 1, 2]);
    expect(all[0]!.chain_hash).toBe(nextChainHash(EMPTY_CHAIN.chainHash, all[0]!.leaf_hash));
    expect(all[2]!.chain_hash).toBe(nextChainHash(all[1]!.chain_hash, all[2]!.leaf_hash));
    expect(second.tail).toEqual({ seq: 2, chainHash: all[2]!.chain_hash });
    expect(extendChain(rows, EMPTY_CHAIN).rows).toEqual(all);
  });

  it('packs the leaf hashes of the rows in chain order, for the checkpoint that covers them', () => {
    const chained = extendChain(rows, EMPTY_CHAIN);
    expect(chained.leafHashes.toString('hex')).toBe(chained.rows.map((row) => row.leaf_hash).join(''));
  });
});
