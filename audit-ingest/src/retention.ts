import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { AuditIngestError, describeClickHouseError } from './errors.ts';
import { AUDIT_CHECKPOINTS_TABLE, AUDIT_EVENTS_TABLE } from './migrations.ts';

/** PCI DSS 10.5.1: audit logs are kept for at least twelve months. */
export const MIN_RETENTION_DAYS = 365;
const ACCESS_DENIED_CODE = '497';

const RETAINED: ReadonlyArray<{ table: string; column: string }> = [
  { table: AUDIT_EVENTS_TABLE, column: 'time' },
  { table: AUDIT_CHECKPOINTS_TABLE, column: 'last_time' },
];

export interface RetentionResult {
  /** Tables whose TTL this call changed. */
  changed: string[];
}

/**
 * Sets the TTL of the audit tables to `days` where it differs; with `days` undefined, keeps each
 * table's TTL and gives the floor to a table without one. Rows older than that are dropped by
 * ClickHouse, a whole monthly part at a time. Refuses anything under a year. A user without ALTER
 * (the ingest user on a server) leaves the TTL as it is and logs what to run instead.
 */
export async function applyRetention(connection: ClickHouseClient, days: number | undefined, logger?: Logger): Promise<RetentionResult> {
  if (days !== undefined && (!Number.isInteger(days) || days < MIN_RETENTION_DAYS)) {
    throw new AuditIngestError('GH_ERR_AUDIT_RETENTION_TOO_SHORT', `audit retention of ${days} days is below the floor of ${MIN_RETENTION_DAYS}`);
  }
  const changed: string[] = [];
  for (const { table, column } of RETAINED) {
    const current = await retentionDaysOf(connection, table);
    const wanted = days ?? current ?? MIN_RETENTION_DAYS;
    if (current === wanted) continue;
    try {
      await connection.command({ query: `ALTER TABLE ${table} MODIFY TTL toDateTime(${column}) + toIntervalDay(${wanted})` });
      changed.push(table);
      logger?.info({ table, from_days: current ?? null, to_days: wanted }, 'audit retention set');
    } catch (error) {
      if ((error as { code?: unknown }).code !== ACCESS_DENIED_CODE) {
        throw new AuditIngestError('GH_ERR_AUDIT_MIGRATION_FAILED', `setting the retention of ${table} failed: ${describeClickHouseError(error)}`, { cause: error });
      }
      logger?.warn(
        { table, current_days: current ?? null, configured_days: wanted, reason: describeClickHouseError(error) },
        'cannot change the audit retention with this ClickHouse user; run `gatehouse audit migrate` as the schema owner',
      );
    }
  }
  return { changed };
}

/** The TTL in days a table has now, or undefined when it has none. */
export async function retentionDaysOf(connection: ClickHouseClient, table: string): Promise<number | undefined> {
  const result = await connection.query({
    query: 'SELECT create_table_query FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
    query_params: { table },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ create_table_query: string }>();
  const match = /\bTTL toDateTime\(\w+\) \+ toIntervalDay\((\d+)\)/.exec(row?.create_table_query ?? '');
  return match ? Number(match[1]) : undefined;
}
