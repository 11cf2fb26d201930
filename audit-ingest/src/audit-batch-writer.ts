import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { consumedEvents, decodeRecords, encodeEvent, type ConsumedEvents, type DeliveredEvent, type DeliveredRecord, type RecordBatchResult } from '../../events/src/index.ts';
import { readChainTail } from './chain-tail.ts';
import type { ChainSegment, Checkpointer } from './checkpointer.ts';
import { createGroupCommit } from './group-commit.ts';
import type { ChainTail } from './hash-chain.ts';
import { createInsertPreparer } from './insert-preparer.ts';
import { insertEncodedRows } from './insert-audit-rows.ts';
import { AUDIT_EVENTS_TABLE } from './migrations.ts';
import type { AuditInsert, PreparedBatch, PreparedInsert } from './prepare-inserts.ts';

/**
 * Points at which a test can stop the process, to show that a crash anywhere loses and duplicates
 * nothing. Production passes none.
 */
export interface AuditWriteHooks {
  beforeInsert?(insert: AuditInsert): void | Promise<void>;
  afterInsert?(insert: AuditInsert): void | Promise<void>;
}

export interface AuditBatchWriterOptions {
  connection: ClickHouseClient;
  logger: Logger;
  table?: string;
  /**
   * Largest insert; see insert-cuts.ts. Default 20,000: ClickHouse stores a few large inserts much
   * faster than many small ones (fewer parts to write and merge), and the batches of five
   * partitions of an AUDIT_INGEST_FETCH fetch (about 4,000 events of 500 bytes each) fit one.
   */
  maxRowsPerInsert?: number;
  /** Signs checkpoints over the stored rows; none leaves the chain unsigned. */
  checkpointer?: Checkpointer;
  hooks?: AuditWriteHooks;
}

export interface AuditBatchWriteResult {
  inserted: number;
  /** Events of the batch found already stored (a redelivery) and not inserted again. */
  alreadyStored: number;
}

/** What storing a batch of records found: the records that are not valid events are neither stored nor counted above. */
export interface AuditRecordsWriteResult extends AuditBatchWriteResult, RecordBatchResult {}

export interface AuditBatchWriter {
  /** Stores a delivered batch of records exactly once; resolves only after ClickHouse acknowledged it. */
  writeRecords(topic: string, records: DeliveredRecord[]): Promise<AuditRecordsWriteResult>;
  /** writeRecords for events at hand, as the bus would deliver them. */
  write(topic: string, batch: DeliveredEvent[]): Promise<AuditBatchWriteResult>;
  /** Ends the thread that prepares rows; writes still in progress fail. */
  close(): Promise<void>;
}

/**
 * One batch of a partition on its way into the table. The next batch of the partition may arrive
 * before it is stored (a bus that fetches ahead): if it continues at the next offset, it is chained
 * on from `prepared` at once, and waits for `stored` before its own inserts go out.
 */
interface PartitionWrite {
  lastOffset: bigint;
  /** The chain tail after this batch's rows. */
  prepared: Promise<ChainTail>;
  /** Resolves once every insert of the batch is acknowledged. */
  stored: Promise<void>;
  settlePrepared(tail: ChainTail): void;
  settleStored(): void;
  fail(error: unknown): void;
}

function newPartitionWrite(lastOffset: bigint): PartitionWrite {
  const prepared = Promise.withResolvers<ChainTail>();
  const stored = Promise.withResolvers<void>();
  // A failure is handled by the write's own caller; the next write only reads it, if there is one.
  prepared.promise.catch(() => undefined);
  stored.promise.catch(() => undefined);
  return {
    lastOffset,
    prepared: prepared.promise,
    stored: stored.promise,
    settlePrepared: prepared.resolve,
    settleStored: stored.resolve,
    fail(error) {
      prepared.reject(error);
      stored.reject(error);
    },
  };
}

/**
 * Exactly once, in two layers:
 * - each insert is atomic (insert-cuts.ts) and carries a deduplication token naming its topic,
 *   partition, offsets and event ids, so the same insert sent twice (a retry, a second consumer
 *   after a rebalance, computing the same chain positions from the same tail) is kept once; the
 *   inserts of several partitions sent together (group-commit.ts) carry a token derived from theirs;
 * - a redelivered batch need not have the same bounds (the bus hands over whatever is pending), so
 *   whenever this writer cannot be sure what is stored — its first batch of a partition, the batch
 *   after a failed insert, an offset gap — it first drops the events whose ids are already stored.
 *   Inserts are atomic and in offset order, so those form a prefix of the batch, and the chain
 *   continues from the stored tail.
 * The ids in the token matter: the in-process bus starts its offsets at 0 in every process, so
 * topic, partition and offsets alone would name different events in different runs.
 */
export function createAuditBatchWriter(options: AuditBatchWriterOptions): AuditBatchWriter {
  const { connection, logger, checkpointer, hooks } = options;
  const table = options.table ?? AUDIT_EVENTS_TABLE;
  const prepareOptions = { maxRows: options.maxRowsPerInsert ?? 20_000, forCheckpoint: checkpointer !== undefined };
  const preparer = createInsertPreparer();
  /**
   * Per topic and partition, the last write handed over; dropped when it fails, so that the next
   * one first checks what is stored.
   */
  const writes = new Map<string, PartitionWrite>();
  const groupCommit = createGroupCommit<PreparedInsert>(async (group, token) => {
    for (const { insert } of group) await hooks?.beforeInsert?.(insert);
    const bodies = group.map((prepared) => prepared.encoded);
    await insertEncodedRows(connection, table, bodies, token);
    // Only after a success: a failed insert's body may still be held by the client that was sending it.
    preparer.giveBack(bodies.map((body) => body.payload));
    for (const { insert } of group) await hooks?.afterInsert?.(insert);
  }, prepareOptions.maxRows);

  async function writePartition(topic: string, records: DeliveredRecord[]): Promise<AuditRecordsWriteResult> {
    const { partition } = records[0]!;
    const key = `${topic}\u0000${partition}`;
    const bounds = { count: records.length, first_offset: records[0]!.offset, last_offset: records[records.length - 1]!.offset };
    const previous = writes.get(key);
    const write = newPartitionWrite(BigInt(bounds.last_offset));
    writes.set(key, write);
    const continues = previous !== undefined && BigInt(bounds.first_offset) === previous.lastOffset + 1n;
    let inserted = 0;
    let prepared: PreparedBatch;
    try {
      // From here on only the rows' encoded bytes are kept, while the inserts before them land.
      prepared = await prepareInserts(topic, records, previous, continues);
      write.settlePrepared(prepared.tail);
      // Chained on before the write before was acknowledged; stored only after it, and never if it failed.
      if (continues) await previous.stored;
      for (const insert of prepared.inserts) {
        await groupCommit.store(insert);
        inserted += insert.insert.rows;
        // Not waited for: the checkpointer takes a chain's rows in the order given, and the
        // partition's next insert need not wait for a signature and its own insert.
        if (insert.segment) void recordForCheckpoint(topic, partition, insert.segment);
      }
      write.settleStored();
    } catch (error) {
      write.fail(error);
      if (writes.get(key) === write) writes.delete(key);
      checkpointer?.forget(topic, partition);
      throw error;
    }
    const { rejected, consumed } = prepared;
    const result = { inserted, alreadyStored: bounds.count - inserted - rejected.length };
    logger.debug({ topic, partition, first_offset: bounds.first_offset, last_offset: bounds.last_offset, ...result, rejected: rejected.length }, 'audit batch stored');
    return { ...result, rejected, consumed };
  }

  /**
   * The rows of `records` not yet stored, chained on from where the partition's chain ends and
   * encoded, cut into inserts; and the chain tail after them. A batch that continues the write
   * before chains on from it at once; any other first checks what the store holds.
   */
  async function prepareInserts(topic: string, records: DeliveredRecord[], previous: PartitionWrite | undefined, continues: boolean): Promise<PreparedBatch> {
    if (continues) return preparer.prepare(topic, records, await previous!.prepared, prepareOptions);
    // What is stored is settled only once the write before has ended, whichever way.
    await previous?.stored.catch(() => undefined);
    const { fresh, positions, consumed } = await dropStored(connection, table, topic, records);
    const tail = await readChainTail(connection, table, topic, records[0]!.partition);
    const prepared = await preparer.prepare(topic, fresh, tail, prepareOptions);
    return { ...prepared, rejected: prepared.rejected.map(({ index, reason }) => ({ index: positions[index]!, reason })), consumed };
  }

  /** The rows are stored whatever happens here: a checkpoint that fails is retried by the next batch or the timer. */
  async function recordForCheckpoint(topic: string, partition: number, segment: ChainSegment): Promise<void> {
    try {
      await checkpointer?.recordStored(topic, partition, segment);
    } catch (error) {
      logger.warn({ topic, partition, err: error }, 'audit checkpoint not written; it is retried');
    }
  }

  async function writeRecords(topic: string, records: DeliveredRecord[]): Promise<AuditRecordsWriteResult> {
    const partitions = byPartition(records);
    // Side by side, so that the partitions' inserts are grouped; each settles before the batch fails.
    const results = await Promise.allSettled(partitions.map(({ records: ofPartition }) => writePartition(topic, ofPartition)));
    const total: AuditRecordsWriteResult = { inserted: 0, alreadyStored: 0, rejected: [], consumed: consumedEvents([]) };
    results.forEach((result, i) => {
      if (result.status === 'rejected') throw result.reason;
      const { inserted, alreadyStored, rejected, consumed } = result.value;
      const { positions } = partitions[i]!;
      total.inserted += inserted;
      total.alreadyStored += alreadyStored;
      total.rejected.push(...rejected.map(({ index, reason }) => ({ index: positions[index]!, reason })));
      total.consumed = joinConsumed(total.consumed, consumed);
    });
    return total;
  }

  return {
    writeRecords,
    async write(topic, batch) {
      const { inserted, alreadyStored } = await writeRecords(
        topic,
        batch.map(({ event, partition, offset }) => ({ partition, offset, value: encodeEvent(event) })),
      );
      return { inserted, alreadyStored };
    },
    close: () => preparer.close(),
  };
}

/**
 * The records of `records` (one partition, in offset order) not yet in the table, also without
 * repeats inside the batch, and where each sits in `records`; and what the batch consumed. A
 * redelivery comes back at the offsets it was stored from, so only the rows at the batch's offsets
 * of its partition are read — a range the time bounds prune to the batch's days — and their ids
 * compared: the same offsets can name other events when the in-process bus restarted its offsets
 * at 0. Records that are not valid events stay, for the preparer to reject.
 */
async function dropStored(
  connection: ClickHouseClient,
  table: string,
  topic: string,
  records: DeliveredRecord[],
): Promise<{ fresh: DeliveredRecord[]; positions: number[]; consumed: ConsumedEvents }> {
  const { delivered, rejected } = decodeRecords(records);
  const seen = delivered.length > 0 ? await storedIds(connection, table, topic, delivered) : new Set<string>();
  const poison = new Set(rejected.map(({ index }) => index));
  const fresh: DeliveredRecord[] = [];
  const positions: number[] = [];
  let next = 0;
  records.forEach((record, index) => {
    if (!poison.has(index)) {
      const id = delivered[next++]!.event.id.toLowerCase();
      if (seen.has(id)) return;
      seen.add(id);
    }
    fresh.push(record);
    positions.push(index);
  });
  return { fresh, positions, consumed: consumedEvents(delivered.map(({ event }) => event)) };
}

/** The ids stored at the offsets of `events`. */
async function storedIds(connection: ClickHouseClient, table: string, topic: string, events: DeliveredEvent[]): Promise<Set<string>> {
  let from = Infinity;
  let to = -Infinity;
  for (const { event } of events) {
    const time = Date.parse(event.time);
    from = Math.min(from, time);
    to = Math.max(to, time);
  }
  const result = await connection.query({
    query: `SELECT toString(event_id) AS id FROM ${table}
            WHERE time >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
              AND time <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
              AND kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32}
              AND kafka_offset >= {first:UInt64} AND kafka_offset <= {last:UInt64}`,
    query_params: { from, to, topic, partition: events[0]!.partition, first: events[0]!.offset, last: events[events.length - 1]!.offset },
    format: 'JSONEachRow',
  });
  return new Set((await result.json<{ id: string }>()).map((row) => row.id));
}

/** The records of each partition, in order, with where each sits in `records`. */
function byPartition(records: DeliveredRecord[]): Array<{ records: DeliveredRecord[]; positions: number[] }> {
  const partitions = new Map<number, { records: DeliveredRecord[]; positions: number[] }>();
  records.forEach((record, index) => {
    let ofPartition = partitions.get(record.partition);
    if (!ofPartition) partitions.set(record.partition, (ofPartition = { records: [], positions: [] }));
    ofPartition.records.push(record);
    ofPartition.positions.push(index);
  });
  return [...partitions.values()];
}

function joinConsumed(a: ConsumedEvents, b: ConsumedEvents): ConsumedEvents {
  if (a.types.length === 0) return b;
  const times = new Float64Array(a.times.length + b.times.length);
  times.set(a.times);
  times.set(b.times, a.times.length);
  return { types: [...a.types, ...b.types], times, traced: [...a.traced, ...b.traced] };
}
