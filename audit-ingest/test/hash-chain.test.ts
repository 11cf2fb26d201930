import { describe, expect, it } from 'vitest';
import { canonicalEventRecord, EMPTY_CHAIN, eventLeafHash, extendChain, nextChainHash, toAuditEventRow } from '../src/index.ts';
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
});
