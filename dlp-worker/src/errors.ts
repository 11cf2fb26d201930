/**
 * The DLP worker's internal errors. Codes are stable: they appear in verdict reasons and logs,
 * so a code is never reused for a different problem.
 */
export const DLP_ERROR_CODES = {
  /** Two detectors in one registry share an id. Rename one: ids are referenced by profiles. */
  GH_ERR_DLP_DETECTOR_DUPLICATE: 'GH_ERR_DLP_DETECTOR_DUPLICATE',
  /** A detector's definition is unusable (bad id, pattern RE2 rejects, keyword not lowercase). */
  GH_ERR_DLP_DETECTOR_INVALID: 'GH_ERR_DLP_DETECTOR_INVALID',
  /** A payload is not a JSON value (cycle, bigint, function, class instance) or is nested too deep. */
  GH_ERR_DLP_PAYLOAD_UNSCANNABLE: 'GH_ERR_DLP_PAYLOAD_UNSCANNABLE',
  /** The config needs a stable hash key (exact_lists or redaction: hash) and none was given to the worker. */
  GH_ERR_DLP_HASH_KEY_MISSING: 'GH_ERR_DLP_HASH_KEY_MISSING',
  /** start() called on a worker that is already running. */
  GH_ERR_DLP_WORKER_ALREADY_STARTED: 'GH_ERR_DLP_WORKER_ALREADY_STARTED',
} as const;
export type DlpErrorCode = keyof typeof DLP_ERROR_CODES;

export class DlpError extends Error {
  readonly code: DlpErrorCode;

  constructor(code: DlpErrorCode, message: string) {
    super(message);
    this.name = 'DlpError';
    this.code = code;
  }
}
