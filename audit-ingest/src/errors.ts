/**
 * Errors audit-ingest raises inside the process, each with a stable code and the fix. Codes are
 * never reused for another meaning.
 */
export const AUDIT_INGEST_ERRORS = {
  GH_ERR_AUDIT_STORE_IN_USE: 'stop the other process, or point this one at another data directory',
  GH_ERR_AUDIT_STORE_OTHER_PATH_OPEN:
    'chDB binds one data directory per process: close the client of the open store first, or use that store',
  GH_ERR_AUDIT_STORE_OPEN_FAILED: 'check that the directory exists or can be created, and that this user may write to it',
  GH_ERR_AUDIT_CONNECTION_INVALID: 'pass { kind: "chdb", path } or { kind: "clickhouse", url } with a valid http(s) URL',
  GH_ERR_AUDIT_MIGRATION_FAILED: 'fix the cause named above (permissions, connectivity, a conflicting object) and start again',
  GH_ERR_AUDIT_INSERT_FAILED: 'the batch is delivered again; check that ClickHouse is reachable and the schema is migrated',
  GH_ERR_AUDIT_QUERY_NOT_READ_ONLY:
    'send a single SELECT, WITH, SHOW, DESCRIBE or EXPLAIN statement; audit data can only be read here',
  GH_ERR_AUDIT_QUERY_FAILED: 'check the SQL against the audit_events schema (DESCRIBE TABLE audit_events)',
  GH_ERR_AUDIT_QUERY_UNKNOWN: 'list the named queries with `gatehouse audit query --list` or GET /audit/queries',
  GH_ERR_AUDIT_QUERY_PARAM_INVALID: 'pass each parameter the query declares as name=value in the form its type expects',
  GH_ERR_AUDIT_RETENTION_TOO_SHORT: 'set audit.retention_days to 365 or more (PCI DSS 10.5.1 keeps audit logs for a year)',
  GH_ERR_AUDIT_SCHEMA_OUTDATED: 'run `gatehouse audit migrate` as the schema owner (the break-glass admin on a ClickHouse server)',
  GH_ERR_AUDIT_SIGNING_KEY_MISSING: 'set audit.checkpoints.signing_key to { file: PATH } or { env: NAME } holding an Ed25519 PEM private key',
  GH_ERR_AUDIT_SIGNING_KEY_INVALID: 'use an Ed25519 key in PEM: `openssl genpkey -algorithm ed25519` (public: `openssl pkey -pubout`)',
  GH_ERR_AUDIT_CHECKPOINT_WRITE_FAILED: 'check that the checkpoint directory is writable and ClickHouse reachable; the checkpoint is retried',
} as const;

export type AuditIngestErrorCode = keyof typeof AUDIT_INGEST_ERRORS;

export class AuditIngestError extends Error {
  readonly code: AuditIngestErrorCode;

  constructor(code: AuditIngestErrorCode, message: string, options?: ErrorOptions) {
    super(`${message}; ${AUDIT_INGEST_ERRORS[code]}`, options);
    this.name = 'AuditIngestError';
    this.code = code;
  }
}

/**
 * A ClickHouse error reduced to what is safe to log: its code, type and first line, cut before any
 * quoted input. Parse errors quote the rows they choked on, and rows may carry audit payloads.
 */
export function describeClickHouseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const { code, type } = error as { code?: unknown; type?: unknown };
  const firstLine = (error.message.split('\n')[0] ?? '').split(/\(at row|before:|: \(while reading/)[0] ?? '';
  const prefix = code !== undefined ? `ClickHouse error ${String(code)}${type ? ` ${String(type)}` : ''}: ` : '';
  return `${prefix}${firstLine.trim().slice(0, 200)}`;
}
