import type { ReadOnlyQueryResult } from '../read-only-query.ts';
import { AUDIT_EVENTS_TABLE } from '../migrations.ts';
import type { ExportPosition } from './export-cursor.ts';
import { EXPORT_COLUMNS_SQL, parseExportRows, type ExportRow } from './export-row.ts';

/**
 * Runs one read-only statement on the audit store: `runReadOnlyQuery` on a connection, or a
 * running `gatehouse start` asked over loopback. Exports only ever read.
 */
export type ReadAuditStore = (sql: string) => Promise<ReadOnlyQueryResult>;

export interface ExportPageOptions {
  /** Most rows per page. */
  limit: number;
  /**
   * Rows ingested within this many milliseconds of the store's clock are not read yet. A row's
   * `ingested_at` is stamped by ClickHouse while its insert runs, and the row becomes visible when the
   * insert ends; a row stamped earlier than one already exported would be skipped for good. Must
   * exceed the longest insert.
   */
  settleMs: number;
}

export interface ExportPage {
  rows: ExportRow[];
  /** Where the next page starts: after the last row, or unchanged when the page is empty. */
  next: ExportPosition | undefined;
}

/** The next rows after `after` in (ingested_at, event_id) order. */
export async function readExportPage(read: ReadAuditStore, after: ExportPosition | undefined, options: ExportPageOptions): Promise<ExportPage> {
  const rows = parseExportRows(await read(exportPageSql(after, options)));
  const last = rows[rows.length - 1];
  return { rows, next: last ? { ingestedAtMs: last.ingested_at_ms, eventId: last.event_id } : after };
}

/**
 * The page query. `event_id` is qualified with the table: the select list reuses the name for its
 * text form, and an alias would win over the column.
 * The position and the numbers are interpolated, not bound: the statement also
 * travels to a running `gatehouse start`, whose loopback endpoint takes SQL text only. They are
 * safe there because a position is parsed into an integer and a canonical UUID (export-cursor.ts)
 * and the limits are integers checked here.
 */
export function exportPageSql(after: ExportPosition | undefined, { limit, settleMs }: ExportPageOptions): string {
  const count = (value: number, what: string) => {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, not ${value}`);
    return value;
  };
  const uuid = (value: string) => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) throw new RangeError(`not a canonical UUID: ${value.slice(0, 40)}`);
    return value;
  };
  const conditions = [`ingested_at <= now64(3) - toIntervalMillisecond(${count(settleMs, 'settleMs')})`];
  if (after) {
    conditions.push(
      `(ingested_at, ${AUDIT_EVENTS_TABLE}.event_id) > (fromUnixTimestamp64Milli(toInt64(${count(after.ingestedAtMs, 'ingestedAtMs')}), 'UTC'), toUUID('${uuid(after.eventId)}'))`,
    );
  }
  return `SELECT ${EXPORT_COLUMNS_SQL}
FROM ${AUDIT_EVENTS_TABLE}
WHERE ${conditions.join('\n  AND ')}
ORDER BY ingested_at, ${AUDIT_EVENTS_TABLE}.event_id
LIMIT ${count(limit, 'limit')}`;
}
