import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { Bus, Topics } from '../../../events/src/index.ts';
import {
  applyRetention,
  createAuditIngest,
  createClickHouseConnection,
  migrate,
  runComplianceQuery,
  runReadOnlyQuery,
  signerFromKeyFile,
  signerFromPem,
  type CheckpointOptions,
  type CheckpointSigner,
  type ReadOnlyQueryResult,
} from '../../../audit-ingest/src/index.ts';
import { defaultAuditTrail, type AuditTrailSettings } from '../config/audit-trail-settings.ts';
import type { StoreSettings } from '../config/runtime-settings.ts';

/** The audit store a process opened: chDB in this process or a ClickHouse server, schema current. */
export interface AuditStore {
  connection: ClickHouseClient;
  settings: StoreSettings;
  query(sql: string): Promise<ReadOnlyQueryResult>;
  /** A named compliance query (audit-ingest/src/compliance-queries.ts), parameters bound server-side. */
  runNamed(name: string, params: Record<string, string>): Promise<ReadOnlyQueryResult>;
  close(): Promise<void>;
}

/** Opens the store and brings its schema up to date; `retentionDays` undefined keeps the TTL there is (the floor when none). */
export async function openAuditStore(settings: StoreSettings, logger: Logger, options: { retentionDays?: number } = {}): Promise<AuditStore> {
  const connection = createClickHouseConnection(settings);
  try {
    await migrate(connection, logger);
    await applyRetention(connection, options.retentionDays, logger);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return {
    connection,
    settings,
    query: (sql) => runReadOnlyQuery(connection, sql),
    runNamed: (name, params) => runComplianceQuery(connection, name, params),
    close: () => connection.close(),
  };
}

/** The signer a trail's settings name (reading or creating its key file). */
export function checkpointSigner(trail: AuditTrailSettings): CheckpointSigner | undefined {
  const key = trail.checkpoints?.signingKey;
  if (!key) return undefined;
  return 'pem' in key ? signerFromPem(key.pem, key.source) : signerFromKeyFile(key.file, key.createIfMissing);
}

export async function startAuditIngest(input: { bus: Bus; topics: Topics; store: AuditStore; logger: Logger; trail?: AuditTrailSettings }) {
  const trail = input.trail ?? defaultAuditTrail(input.store.settings);
  const signer = checkpointSigner(trail);
  const checkpoints: CheckpointOptions | undefined = signer && trail.checkpoints && {
    signer,
    directory: trail.checkpoints.directory,
    everyEvents: trail.checkpoints.everyEvents,
    intervalMs: trail.checkpoints.intervalMs,
  };
  await input.bus.ensureTopics([input.topics.audit]);
  const ingest = createAuditIngest({
    bus: input.bus,
    topics: input.topics,
    connection: input.store.connection,
    logger: input.logger,
    deadLetterTopic: trail.deadLetterTopic,
    checkpoints,
  });
  await ingest.start();
  return ingest;
}
