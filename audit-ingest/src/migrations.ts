import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { AuditIngestError, describeClickHouseError } from './errors.ts';

/**
 * One step of the audit schema. Steps run in version order, once per database; the versions
 * applied are kept in `schema_migrations`. Every statement must be safe to run again (IF NOT
 * EXISTS …): two replicas starting together may both apply a step, and a step interrupted half
 * way is run again from its first statement. Released steps are never edited; add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
}

export const AUDIT_EVENTS_TABLE = 'audit_events';
const ACCESS_DENIED_CODE = '497';

const SCHEMA_MIGRATIONS_DDL = `
CREATE TABLE IF NOT EXISTS schema_migrations
(
  version UInt32,
  description String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY version`;

/**
 * The sorting key serves the compliance questions: a time range first (days), then who, then
 * which server and tool. `non_replicated_deduplication_window` makes a single-node MergeTree
 * remember the last inserts' deduplication tokens, so a batch delivered again is stored once
 * (replicated tables do that by default).
 */
const AUDIT_EVENTS_DDL = `
CREATE TABLE IF NOT EXISTS ${AUDIT_EVENTS_TABLE}
(
  event_id UUID,
  time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
  type LowCardinality(String),
  version UInt8,
  trace_id String CODEC(ZSTD(1)),
  gateway LowCardinality(String),
  principal_subject String CODEC(ZSTD(1)),
  principal_email String CODEC(ZSTD(1)),
  principal_groups Array(String) CODEC(ZSTD(1)),
  portal LowCardinality(String),
  server LowCardinality(String),
  tool LowCardinality(String),
  decision LowCardinality(String),
  correlation_id String CODEC(ZSTD(1)),
  body String CODEC(ZSTD(3)),
  kafka_topic LowCardinality(String),
  kafka_partition UInt32,
  kafka_offset UInt64 CODEC(Delta, ZSTD(1)),
  ingested_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(Delta, ZSTD(1)),
  INDEX event_id_bloom event_id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX trace_id_bloom trace_id TYPE bloom_filter(0.01) GRANULARITY 4,
  INDEX correlation_id_bloom correlation_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (toStartOfDay(time), principal_subject, server, tool, time)
SETTINGS non_replicated_deduplication_window = 10000`;

export const AUDIT_CHECKPOINTS_TABLE = 'audit_checkpoints';
export const AUDIT_FINDINGS_VIEW = 'audit_findings';

/**
 * Each row's place in its partition's hash chain (see hash-chain.ts), the bloom filters behind
 * per-principal lookups across days, and a minmax index on `seq` so a chain's tail and a
 * checkpoint's window are found without reading the table. `ttl_only_drop_parts`: retention drops
 * whole monthly parts rather than rewriting them row by row.
 */
const TAMPER_EVIDENCE_STATEMENTS = [
  `ALTER TABLE ${AUDIT_EVENTS_TABLE}
     ADD COLUMN IF NOT EXISTS seq UInt64 CODEC(Delta, ZSTD(1)) AFTER kafka_offset,
     ADD COLUMN IF NOT EXISTS leaf_hash String CODEC(ZSTD(1)) AFTER seq,
     ADD COLUMN IF NOT EXISTS chain_hash String CODEC(ZSTD(1)) AFTER leaf_hash`,
  `ALTER TABLE ${AUDIT_EVENTS_TABLE} ADD INDEX IF NOT EXISTS principal_subject_bloom principal_subject TYPE bloom_filter(0.01) GRANULARITY 4`,
  `ALTER TABLE ${AUDIT_EVENTS_TABLE} ADD INDEX IF NOT EXISTS principal_email_bloom principal_email TYPE bloom_filter(0.01) GRANULARITY 4`,
  `ALTER TABLE ${AUDIT_EVENTS_TABLE} ADD INDEX IF NOT EXISTS seq_minmax seq TYPE minmax GRANULARITY 1`,
  `ALTER TABLE ${AUDIT_EVENTS_TABLE} MODIFY SETTING ttl_only_drop_parts = 1`,
  `CREATE TABLE IF NOT EXISTS ${AUDIT_CHECKPOINTS_TABLE}
   (
     kafka_topic LowCardinality(String),
     kafka_partition UInt32,
     first_seq UInt64,
     last_seq UInt64,
     merkle_root String,
     chain_head String,
     first_time DateTime64(3, 'UTC'),
     last_time DateTime64(3, 'UTC'),
     created_at DateTime64(3, 'UTC'),
     key_id LowCardinality(String),
     signature String
   )
   ENGINE = MergeTree
   PARTITION BY toYYYYMM(last_time)
   ORDER BY (kafka_topic, kafka_partition, last_seq)
   SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`,
];

/**
 * One row per DLP finding, derived from the stored verdicts at query time: it cannot drift from
 * the hash-chained events, and it needs no write path of its own.
 */
const FINDINGS_VIEW_DDL = `
CREATE VIEW IF NOT EXISTS ${AUDIT_FINDINGS_VIEW} AS
SELECT
  event_id, time, trace_id, correlation_id, gateway, principal_subject, principal_email, portal, server, tool,
  JSONExtractString(body, 'direction') AS direction,
  decision,
  JSONExtractString(body, 'profile') AS profile,
  JSONExtractString(finding, 'detector') AS detector,
  JSONExtractString(finding, 'type') AS finding_type,
  JSONExtractString(finding, 'path') AS path,
  JSONExtractUInt(finding, 'start') AS start_offset,
  JSONExtractUInt(finding, 'end') AS end_offset,
  JSONExtractFloat(finding, 'confidence') AS confidence,
  JSONExtractString(finding, 'action') AS action
FROM ${AUDIT_EVENTS_TABLE}
ARRAY JOIN JSONExtractArrayRaw(body, 'findings') AS finding
WHERE type = 'dlp.verdict'`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'audit_events: one row per audit event', statements: [AUDIT_EVENTS_DDL] },
  { version: 2, description: 'hash chain columns, principal bloom filters, audit_checkpoints', statements: TAMPER_EVIDENCE_STATEMENTS },
  { version: 3, description: 'audit_findings: one row per DLP finding', statements: [FINDINGS_VIEW_DDL] },
];

export interface MigrationResult {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  applied: number[];
}

/** Creates the audit schema objects that are missing. Safe to call on every start. */
export async function migrate(
  connection: ClickHouseClient,
  logger?: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  assertOrdered(migrations);
  // A current schema needs no DDL: an ingest user that may only insert and select starts fine.
  const done = (await tableExists(connection, 'schema_migrations')) ? await appliedVersions(connection) : new Set<number>();
  const pending = migrations.filter((migration) => !done.has(migration.version));
  if (pending.length === 0) return { applied: [] };
  await run(connection, SCHEMA_MIGRATIONS_DDL, 'creating schema_migrations');
  const applied: number[] = [];
  for (const migration of pending) {
    for (const statement of migration.statements) {
      await run(connection, statement, `migration ${migration.version} (${migration.description})`);
    }
    await connection.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, description: migration.description }],
      format: 'JSONEachRow',
    });
    applied.push(migration.version);
    logger?.info({ version: migration.version, description: migration.description }, 'audit schema migration applied');
  }
  return { applied };
}

async function tableExists(connection: ClickHouseClient, table: string): Promise<boolean> {
  const result = await connection.query({ query: 'EXISTS TABLE {table:Identifier}', query_params: { table }, format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, number | string>>();
  return Number(Object.values(row ?? {})[0]) === 1;
}

async function appliedVersions(connection: ClickHouseClient): Promise<Set<number>> {
  const result = await connection.query({
    query: 'SELECT DISTINCT version FROM schema_migrations',
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: number }>();
  return new Set(rows.map((row) => Number(row.version)));
}

async function run(connection: ClickHouseClient, statement: string, what: string): Promise<void> {
  try {
    await connection.command({ query: statement });
  } catch (error) {
    if ((error as { code?: unknown }).code === ACCESS_DENIED_CODE) {
      throw new AuditIngestError('GH_ERR_AUDIT_SCHEMA_OUTDATED', `the audit schema needs ${what}, which this ClickHouse user may not run`, { cause: error });
    }
    throw new AuditIngestError('GH_ERR_AUDIT_MIGRATION_FAILED', `${what} failed: ${describeClickHouseError(error)}`, {
      cause: error,
    });
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && migration.version <= previous.version) {
      throw new Error(`audit migrations must have strictly increasing versions: ${previous.version} then ${migration.version}`);
    }
  });
}
