import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { AuditIngestError, describeClickHouseError } from './errors.ts';
import type { SpareBuffers } from './byte-buffers.ts';
import { createRowBinaryWriter, type RowBinaryWriter } from './row-binary.ts';
import type { AuditEventRow, ChainedAuditEventRow } from './event-row.ts';

const ROW_COLUMNS = [
  'event_id',
  'time',
  'type',
  'version',
  'trace_id',
  'gateway',
  'principal_subject',
  'principal_email',
  'principal_groups',
  'portal',
  'server',
  'tool',
  'decision',
  'correlation_id',
  'body',
  'kafka_topic',
  'kafka_partition',
  'kafka_offset',
] as const satisfies ReadonlyArray<keyof AuditEventRow>;

const CHAINED_ROW_COLUMNS = [...ROW_COLUMNS, 'seq', 'leaf_hash', 'chain_hash'] as const satisfies ReadonlyArray<keyof ChainedAuditEventRow>;

/** Rows encoded for one insert (encodeAuditRows), ready to be sent by insertEncodedRows. */
export interface EncodedAuditRows {
  /** RowBinary, in the order of the insert's column list; at the start of memory that holds nothing else (see RowBinaryWriter#finish). */
  payload: Buffer;
  rows: number;
  chained: boolean;
}

/** The rows as the body of their insert, in ClickHouse's RowBinary format (see row-binary.ts). */
export function encodeAuditRows(rows: readonly AuditEventRow[] | readonly ChainedAuditEventRow[]): EncodedAuditRows {
  const chained = rows.length > 0 && 'seq' in rows[0]!;
  const encoder = chained ? createChainedRowEncoder(rows.length) : createRowEncoder(rows.length, writeRow, false);
  for (const row of rows) encoder.add(row as ChainedAuditEventRow);
  return encoder.finish();
}

/** Rows encoded one at a time into the body of one insert, each let go once written. */
export interface RowEncoder<Row> {
  add(row: Row): void;
  finish(): EncodedAuditRows;
}

/** A RowEncoder of chained rows, for about `expectedRows` of them, written into memory taken from `spares`. */
export function createChainedRowEncoder(expectedRows: number, spares?: SpareBuffers): RowEncoder<ChainedAuditEventRow> {
  return createRowEncoder(expectedRows, writeChainedRow, true, spares);
}

/**
 * The rows in one buffer that grows as needed (in memory of its own, so that it can move between
 * threads). The client's own insert encodes an array of rows into a string per row, joins those
 * into one string and then encodes that as UTF-8: two more copies of every row on the JavaScript
 * thread.
 */
function createRowEncoder<Row>(
  expectedRows: number,
  write: (writer: RowBinaryWriter, row: Row) => void,
  chained: boolean,
  spares?: SpareBuffers,
): RowEncoder<Row> {
  const writer = createRowBinaryWriter(Math.max(1, expectedRows) * EXPECTED_ROW_BYTES, spares);
  let rows = 0;
  return {
    add(row) {
      write(writer, row);
      rows += 1;
    },
    finish: () => ({ payload: writer.finish(), rows, chained }),
  };
}

/** About what one chained row of a tool call's events takes; a batch of larger ones grows its buffer once or twice. */
const EXPECTED_ROW_BYTES = 768;

/** One insert, one acknowledgement; ClickHouse keeps a single copy of inserts sharing `token`. */
export async function insertAuditRows(
  connection: ClickHouseClient,
  table: string,
  rows: readonly AuditEventRow[] | readonly ChainedAuditEventRow[],
  token: string,
): Promise<void> {
  await insertEncodedRows(connection, table, [encodeAuditRows(rows)], token);
}

/**
 * insertAuditRows for rows already encoded, of one or more inserts sent as one: their bodies go,
 * one after the other and without being joined into a copy, as the body of the INSERT statement.
 * They must be of one kind (all chained, or none), as they share a column list.
 */
export async function insertEncodedRows(connection: ClickHouseClient, table: string, parts: readonly EncodedAuditRows[], token: string): Promise<void> {
  const rows = parts.reduce((sum, part) => sum + part.rows, 0);
  if (rows === 0) return;
  const chained = parts[0]!.chained;
  if (parts.some((part) => part.chained !== chained)) throw new TypeError('cannot insert chained and unchained audit rows as one');
  const columns = chained ? CHAINED_ROW_COLUMNS : ROW_COLUMNS;
  try {
    const { stream } = await connection.exec({
      query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT RowBinary`,
      values: Readable.from(parts.map((part) => part.payload), { objectMode: false }),
      clickhouse_settings: {
        insert_deduplicate: 1,
        insert_deduplication_token: token,
        // A server whose profile enables async inserts would acknowledge before the rows are stored.
        async_insert: 0,
      },
    });
    // An insert answers with no rows; the response is done with once the statement succeeded.
    stream.destroy();
  } catch (error) {
    // No `cause`: a parse error quotes the rows it choked on, and this error gets logged.
    throw new AuditIngestError(
      'GH_ERR_AUDIT_INSERT_FAILED',
      `inserting ${rows} audit events into ${table} failed: ${describeClickHouseError(error)}`,
    );
  }
}

/** The values of ROW_COLUMNS, in its order. */
function writeRow(writer: RowBinaryWriter, row: AuditEventRow): void {
  writer.uuid(row.event_id);
  writer.dateTime64ms(row.time);
  writer.string(row.type);
  writer.uint8(row.version);
  writer.string(row.trace_id);
  writer.string(row.gateway);
  writer.string(row.principal_subject);
  writer.string(row.principal_email);
  writer.strings(row.principal_groups);
  writer.string(row.portal);
  writer.string(row.server);
  writer.string(row.tool);
  writer.string(row.decision);
  writer.string(row.correlation_id);
  writer.string(row.body);
  writer.string(row.kafka_topic);
  writer.uint32(row.kafka_partition);
  writer.uint64(row.kafka_offset);
}

/** The values of CHAINED_ROW_COLUMNS, in its order. */
function writeChainedRow(writer: RowBinaryWriter, row: ChainedAuditEventRow): void {
  writeRow(writer, row);
  writer.uint64(row.seq);
  writer.string(row.leaf_hash);
  writer.string(row.chain_hash);
}
