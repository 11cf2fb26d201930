import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { DeliveredEvent } from '../../events/src/index.ts';
import { AuditIngestError, describeClickHouseError } from './errors.ts';
import { toAuditEventRow, type AuditEventRow } from './event-row.ts';
import { AUDIT_EVENTS_TABLE } from './migrations.ts';

export interface AuditBatchWriterOptions {
  connection: ClickHouseClient;
  logger: Logger;
  table?: string;
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
 * Exactly once, in two layers:
 * - each insert carries a deduplication token naming its topic, partition, offsets and event ids,
 *   so the same batch inserted twice (a redelivery, a second consumer after a rebalance) is kept
 *   once by ClickHouse;
 * - a redelivered batch need not have the same bounds (the bus hands over whatever is pending), so
 *   whenever this writer cannot be sure what is stored — its first batch of a partition, the batch
 *   after a failed insert, an offset gap — it first drops the events whose ids are already stored.
 * The ids in the token matter: the in-process bus starts its offsets at 0 in every process, so
 * topic, partition and offsets alone would name different events in different runs.
 */
export function createAuditBatchWriter(options: AuditBatchWriterOptions): AuditBatchWriter {
  const { connection, logger } = options;
  const table = options.table ?? AUDIT_EVENTS_TABLE;
  /** Last offset acknowledged per topic and partition, while nothing has happened since that could be in doubt. */
  const lastStored = new Map<string, bigint>();

  async function writePartition(topic: string, events: DeliveredEvent[]): Promise<AuditBatchWriteResult> {
    const first = events[0]!;
    const last = events[events.length - 1]!;
    const key = `${topic}\u0000${first.partition}`;
    const previous = lastStored.get(key);
    const continues = previous !== undefined && BigInt(first.offset) === previous + 1n;
    lastStored.delete(key);
    const fresh = continues ? events : await dropStored(connection, table, events);
    if (fresh.length > 0) {
      await insertAuditRows(connection, table, fresh.map((event) => toAuditEventRow(event, topic)), insertDeduplicationToken(topic, fresh));
    }
    lastStored.set(key, BigInt(last.offset));
    const result = { inserted: fresh.length, alreadyStored: events.length - fresh.length };
    logger.debug(
      { topic, partition: first.partition, first_offset: first.offset, last_offset: last.offset, ...result },
      'audit batch stored',
    );
    return result;
  }

  return {
    async write(topic, batch) {
      const total: AuditBatchWriteResult = { inserted: 0, alreadyStored: 0 };
      for (const events of byPartition(batch)) {
        const result = await writePartition(topic, events);
        total.inserted += result.inserted;
        total.alreadyStored += result.alreadyStored;
      }
      return total;
    },
  };
}

/** `topic/partition/first-last/hash of the event ids`: the same events at the same place give the same token. */
export function insertDeduplicationToken(topic: string, events: DeliveredEvent[]): string {
  const ids = createHash('sha256');
  for (const { event } of events) ids.update(event.id).update('\n');
  const first = events[0];
  const last = events[events.length - 1];
  return `${topic}/${first?.partition ?? 0}/${first?.offset ?? ''}-${last?.offset ?? ''}/${ids.digest('hex').slice(0, 32)}`;
}

/** One insert, one acknowledgement; ClickHouse keeps a single copy of inserts sharing `token`. */
export async function insertAuditRows(
  connection: ClickHouseClient,
  table: string,
  rows: AuditEventRow[],
  token: string,
): Promise<void> {
  try {
    await connection.insert({
      table,
      values: rows,
      format: 'JSONEachRow',
      clickhouse_settings: {
        insert_deduplicate: 1,
        insert_deduplication_token: token,
        // A server whose profile enables async inserts would acknowledge before the rows are stored.
        async_insert: 0,
      },
    });
  } catch (error) {
    // No `cause`: a parse error quotes the rows it choked on, and this error gets logged.
    throw new AuditIngestError(
      'GH_ERR_AUDIT_INSERT_FAILED',
      `inserting ${rows.length} audit events into ${table} failed: ${describeClickHouseError(error)}`,
    );
  }
}

/** The events of `events` not yet in the table, also without repeats inside the batch. */
async function dropStored(connection: ClickHouseClient, table: string, events: DeliveredEvent[]): Promise<DeliveredEvent[]> {
  let from = Infinity;
  let to = -Infinity;
  for (const { event } of events) {
    const time = Date.parse(event.time);
    from = Math.min(from, time);
    to = Math.max(to, time);
  }
  const result = await connection.query({
    query: `SELECT DISTINCT toString(event_id) AS id FROM ${table}
            WHERE time >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
              AND time <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
              AND event_id IN {ids:Array(UUID)}`,
    query_params: { from, to, ids: events.map(({ event }) => event.id) },
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
