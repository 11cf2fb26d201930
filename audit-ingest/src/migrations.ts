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

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'audit_events: one row per audit event', statements: [AUDIT_EVENTS_DDL] },
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
  await run(connection, SCHEMA_MIGRATIONS_DDL, 'creating schema_migrations');
  const done = await appliedVersions(connection);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
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
