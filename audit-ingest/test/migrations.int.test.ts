import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, migrate, MIGRATIONS, retentionDaysOf, type Migration } from '../src/index.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

describe('audit schema migrations', () => {
  let store: TempStore;
  beforeAll(() => {
    store = openTempStore();
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('creates audit_events and records each version once, however often it runs', async () => {
    const first = await migrate(store.connection);
    const second = await migrate(store.connection);

    expect(first.applied).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(second.applied).toEqual([]);
    const versions = await queryRows<{ version: number }>(store.connection, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('gives audit_events the columns, sorting key and deduplication window the writer relies on', async () => {
    await migrate(store.connection);
    const columns = await queryRows<{ name: string; type: string; default_expression: string }>(
      store.connection,
      "SELECT name, type, default_expression FROM system.columns WHERE database = currentDatabase() AND table = 'audit_events' ORDER BY position",
    );
    const typeOf = Object.fromEntries(columns.map((column) => [column.name, column.type]));
    expect(typeOf).toMatchObject({
      event_id: 'UUID',
      time: "DateTime64(3, 'UTC')",
      type: 'LowCardinality(String)',
      version: 'UInt8',
      principal_groups: 'Array(String)',
      decision: 'LowCardinality(String)',
      body: 'String',
      kafka_partition: 'UInt32',
      kafka_offset: 'UInt64',
      ingested_at: "DateTime64(3, 'UTC')",
    });
    expect(columns.find((column) => column.name === 'ingested_at')?.default_expression).toBe('now64(3)');
    const [table] = await queryRows<{ sorting_key: string; partition_key: string; create_table_query: string }>(
      store.connection,
      "SELECT sorting_key, partition_key, create_table_query FROM system.tables WHERE database = currentDatabase() AND name = 'audit_events'",
    );
    expect(table?.partition_key).toBe('toYYYYMM(time)');
    expect(table?.sorting_key).toBe('toStartOfDay(time), principal_subject, server, tool, time');
    expect(table?.create_table_query).toContain('non_replicated_deduplication_window = 10000');
  });

  it('adds the chain columns, the principal bloom filters, audit_checkpoints and the audit_findings view', async () => {
    await migrate(store.connection);
    const columns = await queryRows<{ name: string; type: string }>(
      store.connection,
      "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'audit_events' AND name IN ('seq', 'leaf_hash', 'chain_hash') ORDER BY position",
    );
    expect(columns).toEqual([
      { name: 'seq', type: 'UInt64' },
      { name: 'leaf_hash', type: 'String' },
      { name: 'chain_hash', type: 'String' },
    ]);
    const indexes = await queryRows<{ name: string; type: string }>(
      store.connection,
      "SELECT name, type FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'audit_events' ORDER BY name",
    );
    expect(indexes.map((index) => `${index.name}:${index.type}`)).toEqual(
      expect.arrayContaining(['trace_id_bloom:bloom_filter', 'principal_subject_bloom:bloom_filter', 'principal_email_bloom:bloom_filter', 'seq_minmax:minmax']),
    );
    const tables = await queryRows<{ name: string; engine: string }>(
      store.connection,
      "SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name IN ('audit_checkpoints', 'audit_findings') ORDER BY name",
    );
    expect(tables).toEqual([
      { name: 'audit_checkpoints', engine: 'MergeTree' },
      { name: 'audit_findings', engine: 'View' },
    ]);
  });

  it('sets the retention TTL, keeps it when asked for none, and refuses less than a year', async () => {
    await migrate(store.connection);

    expect((await applyRetention(store.connection, undefined)).changed).toEqual(['audit_events', 'audit_checkpoints']);
    expect(await retentionDaysOf(store.connection, 'audit_events')).toBe(365);
    expect((await applyRetention(store.connection, 730)).changed).toEqual(['audit_events', 'audit_checkpoints']);
    expect((await applyRetention(store.connection, undefined)).changed).toEqual([]);
    expect(await retentionDaysOf(store.connection, 'audit_checkpoints')).toBe(730);
    await expect(applyRetention(store.connection, 364)).rejects.toMatchObject({ code: 'GH_ERR_AUDIT_RETENTION_TOO_SHORT' });
    expect(await retentionDaysOf(store.connection, 'audit_events')).toBe(730);
  });

  it('applies only the steps a database has not seen yet, in order', async () => {
    const table = `migration_probe_${Date.now()}`;
    const later: Migration[] = [
      ...MIGRATIONS,
      { version: 1000, description: 'probe table', statements: [`CREATE TABLE IF NOT EXISTS ${table} (a UInt8) ENGINE = MergeTree ORDER BY a`] },
      { version: 1001, description: 'probe column', statements: [`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS b String`] },
    ];

    const result = await migrate(store.connection, undefined, later);

    expect(result.applied).toEqual([1000, 1001]);
    const columns = await queryRows<{ name: string }>(store.connection, `SELECT name FROM system.columns WHERE table = {table:String} ORDER BY position`, { table });
    expect(columns.map((column) => column.name)).toEqual(['a', 'b']);
  });

  it('refuses a list whose versions are out of order', async () => {
    const shuffled: Migration[] = [
      { version: 2, description: 'b', statements: [] },
      { version: 1, description: 'a', statements: [] },
    ];
    await expect(migrate(store.connection, undefined, shuffled)).rejects.toThrow(/strictly increasing versions: 2 then 1/);
  });
});
