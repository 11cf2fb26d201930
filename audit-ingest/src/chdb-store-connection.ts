import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { drainPending } from 'chdb';
import { createChdbConnection, type ChdbConnection, type Connection } from 'chdb/connection';
import { AuditIngestError } from './errors.ts';

type Settings = Parameters<Connection<Readable>['query']>[0]['clickhouse_settings'];
type InsertParams = Parameters<Connection<Readable>['insert']>[0];
type InsertResult = Awaited<ReturnType<Connection<Readable>['insert']>>;
type ExecParams = Parameters<Connection<Readable>['exec']>[0];
type ExecResult = Awaited<ReturnType<Connection<Readable>['exec']>>;
type RawInsertParams = Parameters<ChdbConnection['chdb']['rawInsert']>[0];

/**
 * Every insert parses its rows on one thread. The engine shares this process's cores with the
 * JavaScript that prepares the next rows, and parsing in parallel only made the threads contend:
 * an audit insert of 10,000 rows took about a third longer with it on a two-core machine.
 */
const EMBEDDED_INSERT_SETTINGS = { input_format_parallel_parsing: 0 } as const;

/**
 * A `@clickhouse/client` connection to a chDB data directory in this process.
 *
 * chdb/connection turns `clickhouse_settings` into `SET` statements on its session, and those
 * stick to the session: one query sent with `readonly: 1` would leave every later insert refused,
 * and an `insert_deduplication_token` would silently deduplicate the next unrelated insert. A
 * ClickHouse server scopes such settings to one request. To keep that meaning:
 * - an insert names its settings in its own statement (`INSERT INTO t SETTINGS … FORMAT …`),
 *   which scopes them to that statement, and runs on a session kept for inserts. A session runs
 *   one operation at a time, so concurrent inserts each get one of their own, and none waits
 *   behind a query on the main session. Rows the client encoded as text (JSON formats) go to
 *   chDB's raw insert, which hands them to the engine as they are; the general path would first
 *   copy them into one SQL string, on the JavaScript thread. Rows in RowBinary cannot go inline
 *   (chDB cuts inline data it cannot read as text), so they are spooled to a file in the store
 *   directory and inserted from it;
 * - any other operation that carries settings runs on a short-lived session of its own (chDB lets
 *   several sessions share one data directory, each with its own settings).
 */
export function openChdbStoreConnection(path: string): Connection<Readable> {
  const storePath = resolve(path);
  try {
    mkdirSync(storePath, { recursive: true });
  } catch (error) {
    throw new AuditIngestError(
      'GH_ERR_AUDIT_STORE_OPEN_FAILED',
      `cannot create the chDB store directory ${storePath}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  // The session first: it takes the engine's lock on the store, and only its holder may clear the spool.
  const main = openSession(storePath);
  let spool: InsertSpool;
  try {
    spool = openInsertSpool(storePath);
  } catch (error) {
    void main.close();
    throw error;
  }
  const idleInsertSessions: ChdbConnection[] = [];
  let closed = false;

  async function withSettingsScope<T>(settings: Settings, run: (session: ChdbConnection) => Promise<T>): Promise<T> {
    const hasSettings = settings !== undefined && Object.values(settings).some((value) => value !== undefined);
    if (!hasSettings) return run(main);
    const scoped = openSession(storePath);
    try {
      return await run(scoped);
    } finally {
      await scoped.close();
    }
  }

  async function insert(params: InsertParams): Promise<InsertResult> {
    const settings = { ...EMBEDDED_INSERT_SETTINGS, ...params.clickhouse_settings };
    const raw = typeof params.values === 'string' ? rawInsertOf(params.query, params.values, settings) : undefined;
    if (raw !== undefined) return runRawInsert(raw, params.query_id);
    const query = withSettingsClause(params.query, settings);
    if (query === undefined) return withSettingsScope(params.clickhouse_settings, (session) => session.insert(params));
    return onInsertSession((session) => session.insert({ ...params, query, clickhouse_settings: undefined }));
  }

  /** An `INSERT … FORMAT <JSON format>` sent with its rows as a byte stream goes to the raw insert too, without a copy into SQL. */
  async function exec(params: ExecParams): Promise<ExecResult> {
    const binary = params.values === undefined ? null : BINARY_INSERT_STATEMENT.exec(params.query);
    if (binary) {
      const query = insertFromFileStatement(binary[1]!, binary[2]!, { ...EMBEDDED_INSERT_SETTINGS, ...params.clickhouse_settings });
      if (query === undefined) throw new AuditIngestError('GH_ERR_AUDIT_INSERT_FAILED', `an insert setting cannot be written into SQL: ${params.query}`);
      const file = await spool.write(await chunksOf(params.values!));
      try {
        await onInsertSession((session) => session.chdb.queryAsync(query(file)));
        // No summary: chDB does not count the rows an INSERT … SELECT wrote.
        return { query_id: params.query_id ?? randomUUID(), response_headers: {}, stream: Readable.from([]) };
      } finally {
        await spool.remove(file);
      }
    }
    if (params.values !== undefined && INSERT_STATEMENT.test(params.query)) {
      const body = await bytesOf(params.values);
      const raw = rawInsertOf(params.query, body, { ...EMBEDDED_INSERT_SETTINGS, ...params.clickhouse_settings });
      if (raw !== undefined) return { ...(await runRawInsert(raw, params.query_id)), stream: Readable.from([]) };
      // The body was read here; the general path gets it again.
      return withSettingsScope(params.clickhouse_settings, (session) => session.exec({ ...params, values: Readable.from([body], { objectMode: false }) }));
    }
    return withSettingsScope(params.clickhouse_settings, (session) => session.exec(params));
  }

  function runRawInsert(raw: RawInsertParams, queryId: string | undefined): Promise<InsertResult> {
    return onInsertSession(async (session) => {
      const { rowsWritten, bytesWritten } = await session.chdb.rawInsert(raw);
      return insertResult(queryId, rowsWritten, bytesWritten);
    });
  }

  async function onInsertSession<T>(run: (session: ChdbConnection) => Promise<T>): Promise<T> {
    const session = idleInsertSessions.pop() ?? openSession(storePath);
    try {
      return await run(session);
    } finally {
      if (closed) await session.close();
      else idleInsertSessions.push(session);
    }
  }

  return {
    ping: (params) => main.ping(params),
    query: (params) => withSettingsScope(params.clickhouse_settings, (session) => session.query(params)),
    exec,
    command: (params) => withSettingsScope(params.clickhouse_settings, (session) => session.command(params)),
    insert,
    async close() {
      closed = true;
      await Promise.all(idleInsertSessions.splice(0).map((session) => session.close()));
      await main.close();
      // The engine releases the data directory only once running operations end; until then a
      // store at another path cannot open in this process.
      await drainPending();
    },
  };
}

const BINARY_INSERT_STATEMENT = /^INSERT INTO ([A-Za-z_][A-Za-z0-9_.]*) \(([A-Za-z0-9_, ]+)\) FORMAT RowBinary$/;

/** `INSERT INTO table (columns) SETTINGS … SELECT * FROM file(<file>, RowBinary)`, for a file still to be named. */
function insertFromFileStatement(table: string, columns: string, settings: NonNullable<Settings>): ((file: string) => string) | undefined {
  const assignments = settingAssignments(settings);
  if (assignments === undefined) return undefined;
  // The file's columns are those of the insert, in its order.
  const structure = 'use_structure_from_insertion_table_in_table_functions = 1';
  return (file) => `INSERT INTO ${table} (${columns}) SETTINGS ${[assignments, structure].filter(Boolean).join(', ')} SELECT * FROM file(${stringLiteral(file)}, 'RowBinary')`;
}

/**
 * Files of rows on their way into the store, in `<store>/insert-spool`. Each is removed once
 * inserted; one left by a process that ended mid-insert is removed when the store opens next
 * (its rows were never acknowledged, so the bus delivers them again).
 */
interface InsertSpool {
  /** The file now holding `rows`, its chunks one after the other; none is left behind when writing fails. */
  write(rows: readonly Buffer[]): Promise<string>;
  remove(file: string): Promise<void>;
}

function openInsertSpool(storePath: string): InsertSpool {
  const directory = join(storePath, 'insert-spool');
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(directory)) if (!name.startsWith(`${process.pid}-`)) rmSync(join(directory, name), { force: true });
  } catch (error) {
    throw new AuditIngestError('GH_ERR_AUDIT_STORE_OPEN_FAILED', `cannot prepare the insert spool ${directory}: ${(error as Error).message}`, { cause: error });
  }
  return {
    async write(rows) {
      const file = join(directory, `${process.pid}-${randomUUID()}.rowbinary`);
      try {
        await writeFile(file, rows, { mode: 0o600 });
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
      return file;
    },
    remove: (file) => rm(file, { force: true }),
  };
}

const INSERT_STATEMENT = /^INSERT INTO ([A-Za-z_][A-Za-z0-9_.]*)(?: \(([A-Za-z0-9_, ]+)\))? FORMAT (JSONEachRow|JSONCompactEachRow)$/;

/**
 * A raw insert for an `INSERT INTO t [(columns)] FORMAT <JSON format>` statement whose rows are
 * already text (the client's encoding of an array, or a caller's own bytes); undefined for any
 * other shape, which takes the general path.
 */
function rawInsertOf(query: string, values: string | Buffer, settings: NonNullable<Settings>): RawInsertParams | undefined {
  const statement = INSERT_STATEMENT.exec(query);
  if (!statement) return undefined;
  const scoped: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    scoped[name] = value;
  }
  return {
    table: statement[1]!,
    columns: statement[2]?.split(', '),
    format: statement[3] as RawInsertParams['format'],
    values,
    settings: scoped,
  };
}

/** The whole body of an insert in one Buffer; a stream of one Buffer is not copied. */
async function bytesOf(values: Readable): Promise<Buffer> {
  const chunks = await chunksOf(values);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The body of an insert as its chunks came (insert-audit-rows.ts sends the bodies of a group's inserts side by side). */
async function chunksOf(values: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of values) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return chunks;
}

function insertResult(queryId: string | undefined, rows: number, bytes: number): InsertResult {
  const written = { rows: String(rows), bytes: String(bytes) };
  return {
    query_id: queryId ?? randomUUID(),
    response_headers: {},
    http_status_code: 200,
    summary: {
      read_rows: written.rows,
      read_bytes: written.bytes,
      written_rows: written.rows,
      written_bytes: written.bytes,
      total_rows_to_read: '0',
      result_rows: '0',
      result_bytes: '0',
      elapsed_ns: '0',
    },
  };
}

/**
 * `INSERT INTO t … FORMAT F` as @clickhouse/client writes it, with `SETTINGS …` before the
 * format; undefined when the statement or a setting has another shape.
 */
function withSettingsClause(query: string, settings: NonNullable<Settings>): string | undefined {
  const statement = /^(INSERT INTO [^\n;]+?) (FORMAT [A-Za-z]+)$/.exec(query);
  const assignments = settingAssignments(settings);
  if (!statement || assignments === undefined) return undefined;
  return `${statement[1]} SETTINGS ${assignments} ${statement[2]}`;
}

/** `name = value, …` for a SETTINGS clause; undefined when a name or value has another shape. */
function settingAssignments(settings: NonNullable<Settings>): string | undefined {
  const assignments: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) assignments.push(`${name} = ${value}`);
    else if (typeof value === 'boolean') assignments.push(`${name} = ${value ? 1 : 0}`);
    else if (typeof value === 'string') assignments.push(`${name} = ${stringLiteral(value)}`);
    else return undefined;
  }
  return assignments.join(', ');
}

function stringLiteral(value: string): string {
  return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

function openSession(storePath: string): ChdbConnection {
  try {
    return createChdbConnection({ path: storePath });
  } catch (error) {
    throw explainOpenFailure(storePath, error);
  }
}

/**
 * chDB reports every failure to open as "Failed to create connection"; the reason (the engine's
 * lock on `<path>/status`) goes only to stderr. The status file names the process holding it.
 */
function explainOpenFailure(storePath: string, error: unknown): AuditIngestError {
  const message = error instanceof Error ? error.message : String(error);
  const openElsewhere = /only one active data directory per process|still releasing its connection/.exec(message);
  if (openElsewhere) {
    return new AuditIngestError(
      'GH_ERR_AUDIT_STORE_OTHER_PATH_OPEN',
      `cannot open the chDB store at ${storePath}: this process already has another chDB store open (${message})`,
      { cause: error },
    );
  }
  const holder = processHoldingStore(storePath);
  if (holder !== undefined) {
    return new AuditIngestError(
      'GH_ERR_AUDIT_STORE_IN_USE',
      `the chDB store at ${storePath} is in use by another process (pid ${holder}; a running \`gatehouse start\`?) — ` +
        'a chDB data directory admits one process at a time',
      { cause: error },
    );
  }
  return new AuditIngestError(
    'GH_ERR_AUDIT_STORE_OPEN_FAILED',
    `cannot open the chDB store at ${storePath}: ${message}`,
    { cause: error },
  );
}

function processHoldingStore(storePath: string): number | undefined {
  let status: string;
  try {
    status = readFileSync(resolve(storePath, 'status'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(/^PID:\s*(\d+)/m.exec(status)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it still holds the lock.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
