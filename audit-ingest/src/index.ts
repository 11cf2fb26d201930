export {
  createClickHouseConnection,
  ClickHouseConnectionOptionsSchema,
  type ClickHouseConnectionOptions,
} from './clickhouse-connection.ts';
export {
  migrate,
  MIGRATIONS,
  AUDIT_EVENTS_TABLE,
  AUDIT_CHECKPOINTS_TABLE,
  AUDIT_FINDINGS_VIEW,
  type Migration,
  type MigrationResult,
} from './migrations.ts';
export { applyRetention, retentionDaysOf, MIN_RETENTION_DAYS, type RetentionResult } from './retention.ts';
export { toAuditEventRow, decisionOf, type AuditEventRow, type ChainedAuditEventRow } from './event-row.ts';
export { canonicalJson } from './canonical-json.ts';
export { merkleLeafHash, merkleLeafHashHex, merkleRoot, packLeafHashes } from './merkle-tree.ts';
export {
  canonicalEventRecord,
  eventLeafHash,
  nextChainHash,
  extendChain,
  chainDeliveredEvents,
  EMPTY_CHAIN,
  type ChainTail,
} from './hash-chain.ts';
export { cutInserts } from './insert-cuts.ts';
export { insertAuditRows } from './insert-audit-rows.ts';
export {
  signerFromPem,
  signerFromKeyFile,
  verifierFromPem,
  type CheckpointSigner,
  type CheckpointVerifier,
} from './checkpoint-keys.ts';
export {
  CheckpointSchema,
  checkpointStatement,
  checkpointFilePath,
  signCheckpoint,
  readCheckpoints,
  publishPublicKey,
  type Checkpoint,
} from './checkpoint.ts';
export { walkChain, type ChainWalk, type RowProblem, type RowProblemKind, type StoredChainRow } from './chain-walk.ts';
export {
  verifyAuditTrail,
  type VerifyOptions,
  type VerifyReport,
  type VerifyProblem,
  type VerifyProblemKind,
  type ChainSummary,
} from './audit-verifier.ts';
export { createCheckpointer, type Checkpointer, type CheckpointerOptions } from './checkpointer.ts';
export {
  createAuditBatchWriter,
  type AuditBatchWriter,
  type AuditBatchWriterOptions,
  type AuditBatchWriteResult,
  type AuditRecordsWriteResult,
  type AuditWriteHooks,
} from './audit-batch-writer.ts';
export { insertDeduplicationToken, prepareBatch, type AuditInsert, type PreparedBatch } from './prepare-inserts.ts';
export {
  createAuditIngest,
  DEFAULT_AUDIT_INGEST_GROUP,
  AUDIT_INGEST_FETCH,
  type AuditIngest,
  type AuditIngestOptions,
  type CheckpointOptions,
} from './audit-ingest.ts';
export {
  runReadOnlyQuery,
  queryReadOnly,
  singleReadStatement,
  ReadOnlyQueryResultSchema,
  ReadOnlyQueryColumnSchema,
  type ReadOnlyQueryColumn,
  type ReadOnlyQueryResult,
} from './read-only-query.ts';
export { formatRowsAsTable, type TableFormatOptions } from './format-rows-as-table.ts';
export { formatRowsAsCsv } from './format-rows-as-csv.ts';
export { COMPLIANCE_QUERIES, type ComplianceQuery } from './compliance-queries.ts';
export { parseQueryParam, CLICKHOUSE_PARAM_TYPES, type QueryParamSpec, type QueryParamType } from './query-params.ts';
export { runComplianceQuery, findComplianceQuery, bindQueryParams } from './named-query.ts';
export { auditQueryApi, type AuditQueryApiOptions } from './audit-query-api.ts';
export { AuditIngestError, AUDIT_INGEST_ERRORS, type AuditIngestErrorCode } from './errors.ts';
