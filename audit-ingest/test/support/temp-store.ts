import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll } from 'vitest';
import { createClickHouseConnection, migrate } from '../../src/index.ts';

export interface TempStore {
  path: string;
  connection: ClickHouseClient;
  /** Closes the connection and deletes the data directory. */
  dispose(): Promise<void>;
}

/**
 * A chDB store in a fresh temporary directory. A process can have one chDB data directory open at
 * a time, so a test file opens one store and shares it, keeping rows apart with unique ids.
 */
export function openTempStore(): TempStore {
  const path = mkdtempSync(join(tmpdir(), 'gatehouse-audit-test-'));
  const connection = createClickHouseConnection({ kind: 'chdb', path });
  return {
    path,
    connection,
    async dispose() {
      await connection.close();
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A store with the audit schema for the tests of the calling `describe` block; see storeForTests. */
export function migratedStoreForTests(): TempStore {
  return storeForTests((connection) => migrate(connection));
}

/**
 * A store for the tests of the calling `describe` block: opened and readied by `prepare` before
 * them, deleted after. Its members may be read once the block's tests run.
 */
export function storeForTests(prepare: (connection: ClickHouseClient) => Promise<unknown>): TempStore {
  let store: TempStore | undefined;
  beforeAll(async () => {
    store = openTempStore();
    await prepare(store.connection);
  });
  afterAll(async () => {
    await store?.dispose();
  });
  const current = (): TempStore => {
    if (store === undefined) throw new Error('the store opens before the tests of its describe block, not while it is declared');
    return store;
  };
  return {
    get path() {
      return current().path;
    },
    get connection() {
      return current().connection;
    },
    dispose: () => current().dispose(),
  };
}

export async function queryRows<T>(
  connection: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
  settings?: Record<string, string | number>,
): Promise<T[]> {
  const result = await connection.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings });
  return result.json<T>();
}
