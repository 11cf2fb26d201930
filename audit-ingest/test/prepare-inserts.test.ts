import { describe, expect, it } from 'vitest';
import { encodeEvent, type DeliveredRecord } from '../../events/src/index.ts';
import { chainDeliveredEvents, cutInserts, EMPTY_CHAIN, insertDeduplicationToken, prepareBatch } from '../src/index.ts';
import { encodeAuditRows } from '../src/insert-audit-rows.ts';
import { chainSegment } from '../src/checkpointer.ts';
import { createInsertPreparer } from '../src/insert-preparer.ts';
import { insertMonth } from '../src/insert-cuts.ts';
import { delivered, fixedClock, toolCallEvents, uniqueContext } from './support/audit-events.ts';

const TOPIC = 'gatehouse.audit';

/** Calls across a month boundary, delivered from offset 7, with a record that is not an event among them. */
function records(): { events: ReturnType<typeof delivered>; records: DeliveredRecord[]; poisonAt: number } {
  const events = delivered(
    [
      ...toolCallEvents(uniqueContext(), fixedClock('2026-11-30T23:59:59.000Z')),
      ...toolCallEvents(uniqueContext(), fixedClock('2026-11-30T23:59:59.500Z')),
      ...toolCallEvents(uniqueContext(), fixedClock('2026-12-01T00:00:00.000Z')),
    ],
    7,
    3,
  );
  const all: DeliveredRecord[] = events.map(({ event, partition, offset }) => ({ partition, offset, value: encodeEvent(event) }));
  // The poison record takes offset 12's place; the events after it keep theirs.
  const poisonAt = 5;
  all.splice(poisonAt, 0, { partition: 3, offset: '11.5', value: Buffer.from('{"not":"an event"}') });
  return { events, records: all, poisonAt };
}

/** What the writer stored before rows were prepared one event at a time: cut, chained, encoded and tokened batch by batch. */
function preparedBatchByBatch(events: ReturnType<typeof delivered>, maxRows: number) {
  let tail = EMPTY_CHAIN;
  return cutInserts(events, maxRows).map((slice) => {
    const chained = chainDeliveredEvents(slice, TOPIC, tail);
    tail = chained.tail;
    return {
      insert: {
        topic: TOPIC,
        partition: 3,
        firstOffset: slice[0]!.offset,
        lastOffset: slice.at(-1)!.offset,
        rows: slice.length,
        token: insertDeduplicationToken(TOPIC, slice),
      },
      month: insertMonth(slice[0]!),
      encoded: encodeAuditRows(chained.rows),
      segment: chainSegment(chained.rows, chained.leafHashes),
      tail: chained.tail,
    };
  });
}

describe('preparing a batch of records', () => {
  it('cuts, chains, encodes and tokens the valid events exactly as batch-wide steps do, and rejects the rest by index', () => {
    const { events, records: all, poisonAt } = records();

    const batch = prepareBatch(TOPIC, all, EMPTY_CHAIN, { maxRows: 4, forCheckpoint: true });

    expect(batch.inserts).toEqual(preparedBatchByBatch(events, 4));
    expect(batch.inserts.map(({ insert }) => [insert.firstOffset, insert.lastOffset])).toEqual([
      ['7', '7'],
      ['8', '11'],
      ['12', '12'],
      ['13', '15'],
    ]);
    expect(batch.tail).toEqual(batch.inserts.at(-1)!.tail);
    expect(batch.rejected).toEqual([{ index: poisonAt, reason: expect.stringContaining('not a v1 event') }]);
    expect(batch.consumed.types).toEqual(events.map(({ event }) => event.type));
    expect([...batch.consumed.times]).toEqual(events.map(({ event }) => Date.parse(event.time)));
  });

  it('leaves the chain where it was when no record is an event', () => {
    const tail = { seq: 41, chainHash: 'ab'.repeat(32) };
    const batch = prepareBatch(TOPIC, [{ partition: 0, offset: '0', value: Buffer.from('not json') }], tail, { maxRows: 10, forCheckpoint: false });
    expect(batch).toMatchObject({ inserts: [], tail, rejected: [{ index: 0, reason: 'record is not JSON' }] });
  });

  it('prepares on its own thread what prepareBatch prepares here, and starts the thread again after it was closed', async () => {
    const { records: all } = records();
    const preparer = createInsertPreparer();
    try {
      const options = { maxRows: 4, forCheckpoint: true };
      const here = prepareBatch(TOPIC, all, EMPTY_CHAIN, options);
      const [there, second] = await Promise.all([preparer.prepare(TOPIC, all, EMPTY_CHAIN, options), preparer.prepare(TOPIC, all.slice(0, 3), EMPTY_CHAIN, options)]);
      expect(there).toEqual(here);
      expect(Buffer.isBuffer(there.inserts[0]!.encoded.payload)).toBe(true);
      expect(Buffer.isBuffer(there.inserts[0]!.segment!.leafHashes)).toBe(true);
      expect(second.inserts.map(({ insert }) => insert.rows)).toEqual([1, 2]);

      await preparer.close();
      expect(await preparer.prepare(TOPIC, all, EMPTY_CHAIN, options)).toEqual(here);
    } finally {
      await preparer.close();
    }
  });

  it('writes the next bodies into the memory of bodies given back, with nothing left over from them', async () => {
    const { records: all } = records();
    const preparer = createInsertPreparer();
    try {
      const options = { maxRows: 20, forCheckpoint: false };
      const large = await preparer.prepare(TOPIC, all, EMPTY_CHAIN, options);
      const memory = large.inserts.map(({ encoded }) => encoded.payload.buffer);
      const sizes = memory.map((piece) => piece.byteLength);
      preparer.giveBack(large.inserts.map(({ encoded }) => encoded.payload));
      const few = all.slice(0, 2);
      const again = await preparer.prepare(TOPIC, few, EMPTY_CHAIN, options);
      expect(again).toEqual(prepareBatch(TOPIC, few, EMPTY_CHAIN, options));
      // The memory moved back to the thread (it is gone from here), and the new body is in one of its pieces.
      expect(memory.every((piece) => piece.byteLength === 0)).toBe(true);
      expect(sizes).toContain(again.inserts[0]!.encoded.payload.buffer.byteLength);
    } finally {
      await preparer.close();
    }
  });

  it('fails a batch that cannot be sent to the thread, not the process, and prepares the next', async () => {
    const { records: all } = records();
    const preparer = createInsertPreparer();
    try {
      const options = { maxRows: 4, forCheckpoint: false };
      // A tail that cannot be copied to another thread stands in for any message that cannot be sent.
      const uncloneable = { ...EMPTY_CHAIN, toJSON: () => 'no' };
      await expect(preparer.prepare(TOPIC, all, uncloneable, options)).rejects.toThrow(/could not take a batch/);
      expect((await preparer.prepare(TOPIC, all, EMPTY_CHAIN, options)).inserts).toHaveLength(4);
    } finally {
      await preparer.close();
    }
  });
});

