/**
 * Errors of the SIEM export, each with a stable code and the fix. Codes are never reused for
 * another meaning; README.md ("SIEM export") lists them.
 */
export const EXPORT_ERRORS = {
  GH_ERR_EXPORT_CURSOR_INVALID:
    'pass a cursor exactly as an export printed it ("cursor: …"), an ISO 8601 time such as 2026-01-01T00:00:00Z, or nothing to start at the beginning',
  GH_ERR_EXPORT_CURSOR_FILE:
    'check that the cursor directory exists and is writable; a damaged cursor file must be fixed by hand (it holds one cursor line) — deleting it exports everything again',
  GH_ERR_EXPORT_ROW_INVALID: 'the audit_events table does not have the columns the exporter reads; migrate the schema (start audit-ingest once) or run an exporter of the same version',
  GH_ERR_EXPORT_DELIVERY_FAILED:
    'the exporter retries with backoff and sends nothing newer until the receiver accepts; check the receiver address, its credentials and its logs',
} as const;

export type ExportErrorCode = keyof typeof EXPORT_ERRORS;

export class ExportError extends Error {
  readonly code: ExportErrorCode;

  constructor(code: ExportErrorCode, message: string, options?: ErrorOptions) {
    super(`${message}; ${EXPORT_ERRORS[code]}`, options);
    this.name = 'ExportError';
    this.code = code;
  }
}
