export {
  createClickHouseConnection,
  ClickHouseConnectionOptionsSchema,
  type ClickHouseConnectionOptions,
} from './clickhouse-connection.ts';
export { migrate, MIGRATIONS, AUDIT_EVENTS_TABLE, type Migration, type MigrationResult } from './migrations.ts';
export { toAuditEventRow, decisionOf, type AuditEventRow } from './event-row.ts';
export {
  createAuditBatchWriter,
  insertAuditRows,
  insertDeduplicationToken,
  type AuditBatchWriter,
  type AuditBatchWriterOptions,
  type AuditBatchWriteResult,
} from './audit-batch-writer.ts';
export {
  createAuditIngest,
  DEFAULT_AUDIT_INGEST_GROUP,
  type AuditIngest,
  type AuditIngestOptions,
} from './audit-ingest.ts';
export {
  runReadOnlyQuery,
  singleReadStatement,
  ReadOnlyQueryResultSchema,
  ReadOnlyQueryColumnSchema,
  type ReadOnlyQueryColumn,
  type ReadOnlyQueryResult,
} from './read-only-query.ts';
export { formatRowsAsTable, type TableFormatOptions } from './format-rows-as-table.ts';
export { AuditIngestError, AUDIT_INGEST_ERRORS, type AuditIngestErrorCode } from './errors.ts';
