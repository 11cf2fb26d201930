import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createAuditBatchWriter, EMPTY_CHAIN, nextChainHash, type AuditInsert, type Checkpointer } from '../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { migratedStoreForTests, queryRows } from './support/temp-store.ts';

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
  const store = migratedStoreForTests();

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

  it('chains on a partition\'s next batch while the one before is stored, and sends it only once that one is acknowledged', async () => {
    const topic = `audit-inserts-${randomUUID()}`;
    const [first, second] = splitAt(batchOf(6), 9);
    const steps: string[] = [];
    const firstInFlight = Promise.withResolvers<void>();
    const writer = createAuditBatchWriter({
      connection: store.connection,
      logger,
      hooks: {
        async beforeInsert(insert) {
          steps.push(`send ${insert.firstOffset}-${insert.lastOffset}`);
          if (insert.firstOffset === '0') await firstInFlight.promise;
        },
        afterInsert: (insert) => void steps.push(`acknowledged ${insert.firstOffset}-${insert.lastOffset}`),
      },
    });

    const writingFirst = writer.write(topic, first);
    const writingSecond = writer.write(topic, second);
    await waitFor(() => steps.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(steps).toEqual(['send 0-8']);
    firstInFlight.resolve();

    expect(await writingFirst).toEqual({ inserted: 9, alreadyStored: 0 });
    expect(await writingSecond).toEqual({ inserted: 9, alreadyStored: 0 });
    expect(steps).toEqual(['send 0-8', 'acknowledged 0-8', 'send 9-17', 'acknowledged 9-17']);
    expectOneUnbrokenChain(await storedRows(topic), 18);
  });

  it('fails the batch chained on to one that failed, and stores both once on redelivery', async () => {
    const topic = `audit-inserts-${randomUUID()}`;
    const batch = batchOf(6);
    const [first, second] = splitAt(batch, 9);
    let failing = true;
    const writer = createAuditBatchWriter({
      connection: store.connection,
      logger,
      hooks: {
        beforeInsert(insert) {
          if (failing && insert.firstOffset === '0') throw new Error('ClickHouse went away');
        },
      },
    });

    const results = await Promise.allSettled([writer.write(topic, first), writer.write(topic, second)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await storedRows(topic)).toEqual([]);

    failing = false;
    expect(await writer.write(topic, batch)).toEqual({ inserted: 18, alreadyStored: 0 });
    expectOneUnbrokenChain(await storedRows(topic), 18);
  });

  it('hands the stored rows to the checkpointer in chain order without waiting for a checkpoint', async () => {
    const topic = `audit-inserts-${randomUUID()}`;
    const recorded: number[][] = [];
    const signing = Promise.withResolvers<void>();
    const checkpointer: Checkpointer = {
      recordStored: async (_topic, _partition, segment) => {
        recorded.push([segment.firstSeq, segment.lastSeq]);
        await signing.promise;
      },
      forget: () => undefined,
      checkpointDue: async () => undefined,
      checkpointAll: async () => undefined,
    };
    const writer = createAuditBatchWriter({ connection: store.connection, logger, checkpointer, maxRowsPerInsert: 4 });
    const events = delivered(Array.from({ length: 2 }, () => toolCallEvents(uniqueContext())).flat());

    // Two inserts, the first checkpoint still being signed: the batch is stored all the same.
    expect(await writer.write(topic, events)).toEqual({ inserted: 6, alreadyStored: 0 });
    expect(recorded).toEqual([
      [0, 3],
      [4, 5],
    ]);
    signing.resolve();
    expectOneUnbrokenChain(await storedRows(topic), 6);
  });

  it('stores the partitions of one batch that continue where they were as one insert', async () => {
    const topic = `audit-inserts-${randomUUID()}`;
    const events = Array.from({ length: 4 }, () => toolCallEvents(uniqueContext())).flat();
    const [early0, late0] = splitAt(delivered(events.slice(0, 6), 0, 0), 3);
    const [early1, late1] = splitAt(delivered(events.slice(6), 0, 1), 3);
    let sends = 0;
    const exec = store.connection.exec.bind(store.connection);
    // Rows go as the body of an INSERT statement.
    const counting = Object.assign(Object.create(store.connection) as typeof store.connection, {
      exec: async (params: Parameters<typeof exec>[0]) => {
        if ('values' in params && params.query.startsWith('INSERT')) sends += 1;
        return exec(params);
      },
    });
    const writer = createAuditBatchWriter({ connection: counting, logger });
    // The first batch of each partition waits for a look at what is stored, each for its own.
    await writer.write(topic, [...early0, ...early1]);
    sends = 0;

    expect(await writer.write(topic, [...late0, ...late1])).toEqual({ inserted: 6, alreadyStored: 0 });
    expect(sends).toBe(1);
    const perPartition = await queryRows<{ partition: number; n: string }>(
      store.connection,
      'SELECT kafka_partition AS partition, count() AS n FROM audit_events WHERE kafka_topic = {topic:String} GROUP BY partition ORDER BY partition',
      { topic },
    );
    expect(perPartition.map((row) => [Number(row.partition), Number(row.n)])).toEqual([
      [0, 6],
      [1, 6],
    ]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function splitAt<T>(items: T[], index: number): [T[], T[]] {
  return [items.slice(0, index), items.slice(index)];
}

