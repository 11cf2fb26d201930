import { hash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { DeliveredEvent } from '../../events/src/index.ts';
import { readChainTail } from './chain-tail.ts';
import { chainSegment, type ChainSegment, type Checkpointer } from './checkpointer.ts';
import { createGroupCommit } from './group-commit.ts';
import { chainDeliveredEvents, type ChainTail } from './hash-chain.ts';
import { encodeAuditRows, insertEncodedRows, joinEncodedRows, type EncodedAuditRows } from './insert-audit-rows.ts';
import { cutInserts, insertMonth } from './insert-cuts.ts';
import { AUDIT_EVENTS_TABLE } from './migrations.ts';

/** One insert the writer is about to send, or has just had acknowledged. */
export interface AuditInsert {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  rows: number;
  token: string;
}

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

export interface AuditBatchWriter {
  /** Stores a delivered batch exactly once; resolves only after ClickHouse acknowledged it. */
  write(topic: string, batch: DeliveredEvent[]): Promise<AuditBatchWriteResult>;
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
  const maxRows = options.maxRowsPerInsert ?? 20_000;
  /**
   * Per topic and partition, the last write handed over; dropped when it fails, so that the next
   * one first checks what is stored.
   */
  const writes = new Map<string, PartitionWrite>();
  const groupCommit = createGroupCommit<PreparedInsert>(async (group, token) => {
    for (const { insert } of group) await hooks?.beforeInsert?.(insert);
    await insertEncodedRows(connection, table, joinEncodedRows(group.map((prepared) => prepared.encoded)), token);
    for (const { insert } of group) await hooks?.afterInsert?.(insert);
  }, maxRows);

  async function writePartition(topic: string, events: DeliveredEvent[]): Promise<AuditBatchWriteResult> {
    const { partition } = events[0]!;
    const key = `${topic}\u0000${partition}`;
    const bounds = { count: events.length, first_offset: events[0]!.offset, last_offset: events[events.length - 1]!.offset };
    const previous = writes.get(key);
    const write = newPartitionWrite(BigInt(bounds.last_offset));
    writes.set(key, write);
    const continues = previous !== undefined && BigInt(bounds.first_offset) === previous.lastOffset + 1n;
    let inserted = 0;
    try {
      // The events end here: from now on only their encoded rows are kept, while the inserts
      // before them land. Kept as objects that long, they would burden the garbage collector.
      const { inserts, tail } = await prepareInserts(topic, events, previous, continues);
      write.settlePrepared(tail);
      // Chained on before the write before was acknowledged; stored only after it, and never if it failed.
      if (continues) await previous.stored;
      for (const insert of inserts) {
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
    const result = { inserted, alreadyStored: bounds.count - inserted };
    logger.debug({ topic, partition, first_offset: bounds.first_offset, last_offset: bounds.last_offset, ...result }, 'audit batch stored');
    return result;
  }

  /**
   * The rows of `events` not yet stored, chained on from where the partition's chain ends and
   * encoded, cut into inserts; and the chain tail after them. A batch that continues the write
   * before chains on from it at once; any other first checks what the store holds.
   */
  async function prepareInserts(
    topic: string,
    events: DeliveredEvent[],
    previous: PartitionWrite | undefined,
    continues: boolean,
  ): Promise<{ inserts: PreparedInsert[]; tail: ChainTail }> {
    let fresh = events;
    let tail: ChainTail;
    if (continues) {
      tail = await previous!.prepared;
    } else {
      // What is stored is settled only once the write before has ended, whichever way.
      await previous?.stored.catch(() => undefined);
      fresh = await dropStored(connection, table, topic, events);
      tail = await readChainTail(connection, table, topic, events[0]!.partition);
    }
    const inserts: PreparedInsert[] = [];
    for (const slice of cutInserts(fresh, maxRows)) {
      inserts.push(prepareInsert(topic, slice, tail, checkpointer !== undefined));
      tail = inserts[inserts.length - 1]!.tail;
    }
    return { inserts, tail };
  }

  /** The rows are stored whatever happens here: a checkpoint that fails is retried by the next batch or the timer. */
  async function recordForCheckpoint(topic: string, partition: number, segment: ChainSegment): Promise<void> {
    try {
      await checkpointer?.recordStored(topic, partition, segment);
    } catch (error) {
      logger.warn({ topic, partition, err: error }, 'audit checkpoint not written; it is retried');
    }
  }

  return {
    async write(topic, batch) {
      // Side by side, so that the partitions' inserts are grouped; each settles before the batch fails.
      const results = await Promise.allSettled(byPartition(batch).map((events) => writePartition(topic, events)));
      const total: AuditBatchWriteResult = { inserted: 0, alreadyStored: 0 };
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        total.inserted += result.value.inserted;
        total.alreadyStored += result.value.alreadyStored;
      }
      return total;
    },
  };
}

/**
 * One insert with its rows chained on from the tail before it, and the tail after it. The rows
 * are encoded at once: an insert waits for the ones before it, and its rows, kept as objects
 * meanwhile, would outlive the young generation and burden the garbage collector.
 */
interface PreparedInsert {
  insert: AuditInsert;
  month: string;
  encoded: EncodedAuditRows;
  /** What the checkpointer needs of the rows; none without one. */
  segment?: ChainSegment;
  tail: ChainTail;
}

function prepareInsert(topic: string, slice: DeliveredEvent[], tail: ChainTail, forCheckpoint: boolean): PreparedInsert {
  const chained = chainDeliveredEvents(slice, topic, tail);
  return {
    insert: {
      topic,
      partition: slice[0]!.partition,
      firstOffset: slice[0]!.offset,
      lastOffset: slice[slice.length - 1]!.offset,
      rows: slice.length,
      token: insertDeduplicationToken(topic, slice),
    },
    month: insertMonth(slice[0]!),
    encoded: encodeAuditRows(chained.rows),
    segment: forCheckpoint ? chainSegment(chained.rows, chained.leafHashes) : undefined,
    tail: chained.tail,
  };
}

/** `topic/partition/first-last/hash of the event ids`: the same events at the same place give the same token. */
export function insertDeduplicationToken(topic: string, events: DeliveredEvent[]): string {
  // One-shot over the ids, each followed by a newline.
  let ids = '';
  for (const { event } of events) ids += `${event.id}\n`;
  const first = events[0];
  const last = events[events.length - 1];
  return `${topic}/${first?.partition ?? 0}/${first?.offset ?? ''}-${last?.offset ?? ''}/${hash('sha256', ids, 'hex').slice(0, 32)}`;
}

/**
 * The events of `events` (one partition, in offset order) not yet in the table, also without
 * repeats inside the batch. A redelivery comes back at the offsets it was stored from, so only
 * the rows at the batch's offsets of its partition are read — a range the time bounds prune to
 * the batch's days — and their ids compared: the same offsets can name other events when the
 * in-process bus restarted its offsets at 0.
 */
async function dropStored(connection: ClickHouseClient, table: string, topic: string, events: DeliveredEvent[]): Promise<DeliveredEvent[]> {
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
  const seen = new Set((await result.json<{ id: string }>()).map((row) => row.id));
  return events.filter(({ event }) => {
    const id = event.id.toLowerCase();
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function byPartition(batch: DeliveredEvent[]): DeliveredEvent[][] {
  const partitions = new Map<number, DeliveredEvent[]>();
  for (const delivered of batch) {
    const events = partitions.get(delivered.partition) ?? [];
    events.push(delivered);
    partitions.set(delivered.partition, events);
  }
  return [...partitions.values()];
}
