import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditBatchWriter, EMPTY_CHAIN, migrate, nextChainHash, type AuditInsert } from '../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

interface StoredRow {
  offset: string;
  seq: string;
  leaf_hash: string;
  chain_hash: string;
}

/** A batch of `calls` tool calls (three events each) at offsets 0, 1, 2, … of partition 0. */
const batchOf = (calls: number) => delivered(Array.from({ length: calls }, () => toolCallEvents(uniqueContext())).flat(), 0);

describe('a batch stored as several inserts', () => {
  const logger = pino({ level: 'silent' });
  let store: TempStore;

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
  });
  afterAll(async () => {
    await store.dispose();
  });

  const storedRows = (topic: string) =>
    queryRows<StoredRow>(
      store.connection,
      'SELECT kafka_offset AS offset, seq, leaf_hash, chain_hash FROM audit_events WHERE kafka_topic = {topic:String} ORDER BY seq',
      { topic },
    );

  /** Every row in offset order at seq 0, 1, 2, …, each chain hash following the one before. */
  const expectOneUnbrokenChain = (rows: StoredRow[], events: number) => {
    expect(rows.map((row) => [Number(row.offset), Number(row.seq)])).toEqual(Array.from({ length: events }, (_, i) => [i, i]));
    let head = EMPTY_CHAIN.chainHash;
    for (const row of rows) {
      expect(row.chain_hash).toBe(nextChainHash(head, row.leaf_hash));
      head = row.chain_hash;
    }
  };

  it('sends the inserts one at a time, each once the one before is acknowledged, continuing one chain', async () => {
    const topic = `audit-inserts-${randomUUID()}`;
    const batch = batchOf(10);
    const steps: string[] = [];
    const writer = createAuditBatchWriter({
      connection: store.connection,
      logger,
      maxRowsPerInsert: 8,
      hooks: {
        beforeInsert: (insert) => void steps.push(`send ${insert.firstOffset}-${insert.lastOffset}`),
        afterInsert: (insert) => void steps.push(`acknowledged ${insert.firstOffset}-${insert.lastOffset}`),
      },
    });

    expect(await writer.write(topic, batch)).toEqual({ inserted: 30, alreadyStored: 0 });

    expect(steps).toEqual([
      'send 0-7',
      'acknowledged 0-7',
      'send 8-15',
      'acknowledged 8-15',
      'send 16-23',
      'acknowledged 16-23',
      'send 24-29',
      'acknowledged 24-29',
    ]);
    expectOneUnbrokenChain(await storedRows(topic), 30);
  });

  it('stores the inserts before a failed one, never the ones after it, and the rest once on redelivery', async () => {
    const topic = `audit-inserts-${randomUUID()}`;
    const batch = batchOf(10);
    const sent: AuditInsert[] = [];
    let failing = true;
    const writer = createAuditBatchWriter({
      connection: store.connection,
      logger,
      maxRowsPerInsert: 8,
      hooks: {
        beforeInsert(insert) {
          if (failing && insert.firstOffset === '16') throw new Error('ClickHouse went away');
          sent.push(insert);
        },
      },
    });

    await expect(writer.write(topic, batch)).rejects.toThrow('ClickHouse went away');
    expect((await storedRows(topic)).map((row) => Number(row.offset))).toEqual(Array.from({ length: 16 }, (_, i) => i));

    failing = false;
    expect(await writer.write(topic, batch)).toEqual({ inserted: 14, alreadyStored: 16 });

    expect(sent.map((insert) => `${insert.firstOffset}-${insert.lastOffset}`)).toEqual(['0-7', '8-15', '16-23', '24-29']);
    expectOneUnbrokenChain(await storedRows(topic), 30);
  });
});
