import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { AuditIngestError, describeClickHouseError } from './errors.ts';

export const ReadOnlyQueryColumnSchema = z.object({
  name: z.string(),
  /** ClickHouse type, e.g. `LowCardinality(String)`. */
  type: z.string(),
});
export type ReadOnlyQueryColumn = z.infer<typeof ReadOnlyQueryColumnSchema>;

export const ReadOnlyQueryResultSchema = z.object({
  columns: z.array(ReadOnlyQueryColumnSchema),
  /** One array per row, values in column order; 64-bit integers arrive as decimal strings. */
  rows: z.array(z.array(z.unknown())),
});
export type ReadOnlyQueryResult = z.infer<typeof ReadOnlyQueryResultSchema>;

const READ_STATEMENT = /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXPLAIN)\b/i;
const READONLY_CODE = '164';

/**
 * Runs one read statement on the audit store for a compliance user. ClickHouse enforces it with
 * `readonly=1` (no writes, no DDL, no setting changes, no table functions such as file() or url());
 * the statement check in front adds a clear message and refuses what readonly still lets through:
 * several statements in one string (chDB runs them all) and statements like KILL QUERY.
 */
export async function runReadOnlyQuery(connection: ClickHouseClient, sql: string): Promise<ReadOnlyQueryResult> {
  return queryReadOnly(connection, singleReadStatement(sql), {});
}

/**
 * One read statement under readonly=1, with its `{name:Type}` placeholders bound server-side to
 * `params`: values travel apart from the SQL and are parsed by ClickHouse as the declared type.
 */
export async function queryReadOnly(connection: ClickHouseClient, statement: string, params: Record<string, unknown>): Promise<ReadOnlyQueryResult> {
  let rows: unknown[][];
  try {
    const result = await connection.query({
      query: statement,
      query_params: params,
      format: 'JSONCompactEachRowWithNamesAndTypes',
      clickhouse_settings: {
        // chDB prints 64-bit integers as JSON numbers, a server as strings; strings keep offsets exact on both.
        output_format_json_quote_64bit_integers: 1,
        // Last: on chDB settings become SET statements in this order, and none may follow readonly.
        readonly: '1',
      },
    });
    rows = await result.json<unknown[]>();
  } catch (error) {
    if ((error as { code?: unknown }).code === READONLY_CODE) {
      throw new AuditIngestError(
        'GH_ERR_AUDIT_QUERY_NOT_READ_ONLY',
        'the audit store refused the statement in read-only mode: it would write, change a setting, ' +
          'or read outside the store (file, url and other table functions)',
      );
    }
    throw new AuditIngestError('GH_ERR_AUDIT_QUERY_FAILED', `the audit query failed: ${describeClickHouseError(error)}`, {
      cause: error,
    });
  }
  const [names = [], types = [], ...data] = rows;
  return {
    columns: names.map((name, index) => ({ name: String(name), type: String(types[index] ?? '') })),
    rows: data,
  };
}

/** The statement without trailing semicolons, or an error when `sql` is not exactly one read. */
export function singleReadStatement(sql: string): string {
  const code = withoutCommentsAndLiterals(sql);
  const trimmedCode = code.replace(/[\s;]+$/, '');
  if (trimmedCode.trim() === '') {
    throw new AuditIngestError('GH_ERR_AUDIT_QUERY_NOT_READ_ONLY', 'the audit query is empty');
  }
  if (trimmedCode.includes(';')) {
    throw new AuditIngestError('GH_ERR_AUDIT_QUERY_NOT_READ_ONLY', 'the audit query holds more than one statement');
  }
  const keyword = trimmedCode.trimStart().replace(/^\(+\s*/, '');
  if (!READ_STATEMENT.test(keyword)) {
    const first = /^\S+/.exec(keyword)?.[0] ?? '';
    throw new AuditIngestError(
      'GH_ERR_AUDIT_QUERY_NOT_READ_ONLY',
      `the audit query starts with ${first.slice(0, 20).toUpperCase()}, which is not a read`,
    );
  }
  // Literals and comments were blanked to the same length, so the cut applies to the original.
  return sql.slice(0, trimmedCode.length);
}

/**
 * `sql` with comments replaced by spaces and string literals and quoted identifiers by `_`, each
 * of the same length, so that keywords and semicolons inside them are not mistaken for statement
 * structure. Literals are not blanked to spaces: a statement ending in one would lose it when
 * trailing whitespace is cut.
 */
function withoutCommentsAndLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    let end: number;
    let fill = ' ';
    if (char === "'" || char === '"' || char === '`') {
      end = closingQuote(sql, i, char);
      fill = '_';
    } else if ((char === '-' && next === '-') || char === '#') end = lineEnd(sql, i);
    else if (char === '/' && next === '*') end = sql.indexOf('*/', i + 2) < 0 ? sql.length : sql.indexOf('*/', i + 2) + 2;
    else {
      out += char;
      i += 1;
      continue;
    }
    out += fill.repeat(end - i);
    i = end;
  }
  return out;
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const newline = sql.indexOf('\n', start);
  return newline < 0 ? sql.length : newline;
}
