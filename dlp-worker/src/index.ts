export { createDlpWorker, DEFAULT_DLP_WORKER_GROUP } from './dlp-worker.ts';
export type { DlpWorker, DlpWorkerOptions, PayloadCapture } from './dlp-worker.ts';
export { decideVerdict } from './decide-verdict.ts';
export type { Verdict } from './decide-verdict.ts';
export {
  DEFAULT_DLP_PROFILE,
  DEFAULT_DLP_PROFILE_NAME,
  DlpActionSchema,
  DlpConfigSchema,
  DlpProfileSchema,
  RedactionStyleSchema,
  resolveProfile,
} from './profile.ts';
export type { DlpAction, DlpConfig, DlpProfile, NamedDlpProfile, RedactionStyle } from './profile.ts';
export { builtInDetectors, builtInDetectorIds } from './detectors/index.ts';
export { createDetectorRegistry } from './detector-registry.ts';
export type { Detector, DetectorType, NegativeExample } from './detector.ts';
export { scanPayload } from './scan-payload.ts';
export { redactPayload } from './redact-payload.ts';
export type { RedactOptions } from './redact-payload.ts';
export { createTextScanner, MAX_PATTERNS_PER_SET } from './text-scanner.ts';
export type { TextScanner } from './text-scanner.ts';
export { DLP_ERROR_CODES, DlpError } from './errors.ts';
export type { DlpErrorCode } from './errors.ts';
