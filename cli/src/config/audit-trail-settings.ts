import path from 'node:path';
import type { EnvRef } from '../../../gateway/src/index.ts';
import type { GatehouseConfig } from './config-schema.ts';
import type { StoreSettings } from './runtime-settings.ts';

/** The audit trail's settings with paths resolved and the signing key located. */
export interface AuditTrailSettings {
  retentionDays: number;
  deadLetterTopic?: string;
  /** Undefined: no key configured and no default place for one (a ClickHouse server); checkpoints are off. */
  checkpoints?: { signingKey: { pem: string; source: string } | { file: string; createIfMissing: boolean }; directory?: string; everyEvents: number; intervalMs: number };
  queryApiGroups: string[];
}

/**
 * Resolves `audit:` of the config: relative paths against `baseDir`, `{ env }` through `fromEnv`. With a
 * chDB store, the signing key and the checkpoint directory default to places beside the store.
 */
export function resolveAuditTrailSettings(
  audit: GatehouseConfig['audit'],
  store: StoreSettings,
  baseDir: string,
  fromEnv: (ref: EnvRef, at: ReadonlyArray<PropertyKey>) => string,
): AuditTrailSettings {
  const { checkpoints } = audit;
  const besideStore = store.kind === 'chdb' ? path.dirname(store.path) : undefined;
  const configured = checkpoints.signing_key;
  const signingKey = configured
    ? 'env' in configured
      ? { pem: fromEnv(configured, ['audit', 'checkpoints', 'signing_key', 'env']), source: `$${configured.env}` }
      : { file: path.resolve(baseDir, configured.file), createIfMissing: false }
    : besideStore
      ? { file: path.join(besideStore, 'audit-signing-key.pem'), createIfMissing: true }
      : undefined;
  const directory = checkpoints.directory ? path.resolve(baseDir, checkpoints.directory) : besideStore && path.join(besideStore, 'checkpoints');
  return {
    retentionDays: audit.retention_days,
    deadLetterTopic: audit.dead_letter_topic,
    checkpoints: signingKey && { signingKey, directory, everyEvents: checkpoints.every_events, intervalMs: checkpoints.interval_seconds * 1000 },
    queryApiGroups: audit.query_api_groups,
  };
}

/** The trail of a config that says nothing about it (no paths to resolve, so no base folder). */
export function defaultAuditTrail(store: StoreSettings): AuditTrailSettings {
  return resolveAuditTrailSettings(
    { payload_capture: 'redacted', retention_days: 365, checkpoints: { every_events: 1_000, interval_seconds: 60 }, query_api_groups: ['compliance'] },
    store,
    '',
    () => '',
  );
}
