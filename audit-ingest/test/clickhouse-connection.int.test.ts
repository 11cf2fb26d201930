import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouseConnection } from '../src/index.ts';
import { queryRows, storeForTests } from './support/temp-store.ts';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

describe('chDB connection through @clickhouse/client', () => {
  describe('settings', () => {
    const store = storeForTests((connection) => connection.command({ query: 'CREATE TABLE probe (id UInt32) ENGINE = MergeTree ORDER BY id' }));

    it.each([
      'INSERT INTO probe VALUES (1)',
      'ALTER TABLE probe DELETE WHERE 1',
      'DROP TABLE probe',
      'CREATE TABLE other (a UInt8) ENGINE = Memory',
    ])('rejects %s under readonly=1, as a server does', async (sql) => {
      await expect(store.connection.command({ query: sql, clickhouse_settings: { readonly: '1' } })).rejects.toMatchObject({ code: '164' });
    });

    it('applies settings to their own request only: a readonly query leaves the client writable', async () => {
      await store.connection.query({ query: 'SELECT 1', clickhouse_settings: { readonly: '1' } });

      await store.connection.insert({ table: 'probe', values: [{ id: 7 }], format: 'JSONEachRow' });

      expect(await queryRows(store.connection, 'SELECT id FROM probe WHERE id = 7')).toEqual([{ id: 7 }]);
      const [setting] = await queryRows<{ value: string }>(store.connection, "SELECT value FROM system.settings WHERE name = 'readonly'");
      expect(setting?.value).toBe('0');
    });

    it.each(['insert', 'exec', 'exec RowBinary'] as const)(
      "scopes an insert's settings to that insert, also when inserts run at the same time (%s)",
      async (method) => {
        const table = `deduplicated_${method.replace(' ', '_')}`;
        await store.connection.command({
          query: `CREATE TABLE ${table} (id UInt32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`,
        });
        const insert = async (ids: number[], token?: string) => {
          const clickhouse_settings = token === undefined ? undefined : { insert_deduplicate: 1 as const, insert_deduplication_token: token };
          if (method === 'insert') {
            await store.connection.insert({ table, values: ids.map((id) => ({ id })), format: 'JSONEachRow', clickhouse_settings });
            return;
          }
          // Rows the caller encoded itself, as the body of the statement (insert-audit-rows.ts sends RowBinary).
          const binary = method === 'exec RowBinary';
          const body = binary ? Buffer.from(new Uint32Array(ids).buffer) : Buffer.from(ids.map((id) => `[${id}]\n`).join(''));
          const { stream } = await store.connection.exec({
            query: `INSERT INTO ${table} (id) FORMAT ${binary ? 'RowBinary' : 'JSONCompactEachRow'}`,
            values: Readable.from([body], { objectMode: false }),
            clickhouse_settings,
          });
          stream.destroy();
        };

        await Promise.all([insert([1, 2], "token-a'\\"), insert([3], 'token-b'), insert([4, 5, 6], 'token-c')]);
        await Promise.all([insert([1, 2], "token-a'\\"), insert([3], 'token-b')]);
        // The same rows again without a token: nothing of the earlier tokens may stick to them.
        await insert([4, 5, 6]);

        const rows = await queryRows<{ id: number }>(store.connection, `SELECT id FROM ${table} ORDER BY id`);
        expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 4, 5, 5, 6, 6]);
      },
    );
  });

  describe('rows in RowBinary', () => {
    const store = storeForTests((connection) => connection.command({ query: 'CREATE TABLE spooled (id UInt32, name String) ENGINE = MergeTree ORDER BY id' }));

    it('are inserted from a file in the store that is removed afterwards, and a file left by an earlier process is removed on opening', async () => {
      const spool = join(store.path, 'insert-spool');
      const leftover = join(spool, '1-left-by-a-crash.rowbinary');
      writeFileSync(leftover, Buffer.from([1, 0, 0, 0, 1, 0x78]));
      const row = Buffer.concat([Buffer.from([7, 0, 0, 0, 3]), Buffer.from('\n;\0')]);

      const { stream } = await store.connection.exec({
        query: 'INSERT INTO spooled (id, name) FORMAT RowBinary',
        values: Readable.from([row], { objectMode: false }),
      });
      stream.destroy();
      const reopened = createClickHouseConnection({ kind: 'chdb', path: store.path });
      await reopened.close();

      expect(await queryRows(store.connection, 'SELECT id, name FROM spooled')).toEqual([{ id: 7, name: '\n;\0' }]);
      expect(readdirSync(spool)).toEqual([]);
    });

    it('that ClickHouse cannot read fail the insert, and leave no file behind', async () => {
      await expect(
        store.connection.exec({ query: 'INSERT INTO spooled (id, name) FORMAT RowBinary', values: Readable.from([Buffer.from([8, 0, 0, 0, 200])], { objectMode: false }) }),
      ).rejects.toThrow(/Attempt to read after eof/);
      expect(readdirSync(join(store.path, 'insert-spool'))).toEqual([]);
    });
  });

  describe('one data directory per process', () => {
    let holder: ChildProcess | undefined;
    const dirs: string[] = [];
    const tempDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-conn-'));
      dirs.push(dir);
      return dir;
    };
    afterAll(async () => {
      if (holder && holder.exitCode === null) {
        holder.kill();
        await once(holder, 'exit');
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('names the other process when a store is in use elsewhere', async () => {
      const path = tempDir();
      holder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createChdbConnection } from 'chdb/connection';
           const connection = createChdbConnection({ path: process.argv[1] });
           await connection.query({ query: 'SELECT 1', format: 'CSV' });
           process.stdout.write('ready\\n');
           process.stdin.on('end', async () => { await connection.close(); process.exit(0); });
           process.stdin.resume();`,
          path,
        ],
        { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'ignore'] },
      );
      const [ready] = await once(holder.stdout!, 'data');
      expect(String(ready)).toBe('ready\n');
      // Rows the holder may be inserting: not this process's to clear.
      const inFlight = join(path, 'insert-spool', `${holder.pid}-in-flight.rowbinary`);
      mkdirSync(join(path, 'insert-spool'));
      writeFileSync(inFlight, 'rows');

      let failure: unknown;
      try {
        createClickHouseConnection({ kind: 'chdb', path });
      } catch (error) {
        failure = error;
      }

      expect(failure).toMatchObject({ code: 'GH_ERR_AUDIT_STORE_IN_USE' });
      expect(existsSync(inFlight)).toBe(true);
      expect((failure as Error).message).toContain(`the chDB store at ${path} is in use by another process (pid ${holder.pid}; a running \`gatehouse start\`?)`);
      holder.stdin!.end();
      await once(holder, 'exit');
    });

    it('opens another path once the first is closed, and refuses a second path while one is open', async () => {
      const firstPath = tempDir();
      const first = createClickHouseConnection({ kind: 'chdb', path: firstPath });
      await first.query({ query: 'SELECT 1' });
      const secondPath = tempDir();

      expect(() => createClickHouseConnection({ kind: 'chdb', path: secondPath })).toThrow(
        expect.objectContaining({ code: 'GH_ERR_AUDIT_STORE_OTHER_PATH_OPEN' }),
      );
      const samePathAgain = createClickHouseConnection({ kind: 'chdb', path: firstPath });
      await samePathAgain.close();
      expect(await queryRows(first, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await first.close();

      const second = createClickHouseConnection({ kind: 'chdb', path: secondPath });
      expect(await queryRows(second, 'SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
      await second.close();
    });
  });

  it('rejects options that name no usable store', () => {
    expect(() => createClickHouseConnection({ kind: 'clickhouse', url: 'ftp://127.0.0.1' })).toThrow(
      expect.objectContaining({ code: 'GH_ERR_AUDIT_CONNECTION_INVALID' }),
    );
  });
});
