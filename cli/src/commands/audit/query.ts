import {
  COMPLIANCE_QUERIES,
  formatRowsAsCsv,
  formatRowsAsTable,
  type ReadOnlyQueryResult,
} from '../../../../audit-ingest/src/index.ts';
import type { Command, CommandIO } from '../../command.ts';
import { loadStoreSettings } from '../../config/load-settings.ts';
import type { StoreSettings } from '../../config/runtime-settings.ts';
import { createLogger } from '../../logger.ts';
import { parseCommandArgs, UsageError } from '../../parse-args.ts';
import { openAuditStoreReader } from '../../run/audit-store-reader.ts';

/** What to run: one SQL statement, or a named query with its parameters. */
type QueryRequest = { sql: string } | { name: string; params: Record<string, string> };

const FORMATS = ['table', 'csv', 'json'] as const;

async function runQuery(store: StoreSettings, request: QueryRequest, io: CommandIO): Promise<ReadOnlyQueryResult> {
  const reader = await openAuditStoreReader(store, createLogger({ ...io.env, LOG_LEVEL: io.env['LOG_LEVEL'] || 'warn' }, 'audit'));
  try {
    return await ('sql' in request ? reader.query(request.sql) : reader.runNamed(request.name, request.params));
  } finally {
    await reader.close();
  }
}

function formatResult(result: ReadOnlyQueryResult, format: (typeof FORMATS)[number]): string {
  if (format === 'csv') return formatRowsAsCsv(result);
  if (format === 'table') return `${formatRowsAsTable(result)}\n`;
  return result.rows.map((row) => `${JSON.stringify(Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])))}\n`).join('');
}

function listQueries(): string {
  return COMPLIANCE_QUERIES.map((query) => {
    const params = Object.entries(query.params).map(
      ([name, spec]) => `    ${name} (${spec.type}${spec.default === undefined ? ', required' : spec.default === '' ? '' : `, default ${spec.default}`}): ${spec.description}`,
    );
    return [`${query.name}: ${query.description}`, ...params].join('\n');
  }).join('\n\n');
}

function parseParams(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--param expects name=value, not "${pair}"`);
    const name = pair.slice(0, equals);
    if (name in params) throw new UsageError(`--param ${name} is given twice`);
    params[name] = pair.slice(equals + 1);
  }
  return params;
}

export const auditQueryCommand: Command = {
  name: 'query',
  summary: 'run a named compliance query, or one read-only SQL statement, on the audit trail',
  help: `
Usage: gatehouse audit query --name NAME [--param name=value]... [--format table|csv|json] [--config FILE]
       gatehouse audit query "<SQL>" [--format table|csv|json] [--config FILE]
       gatehouse audit query --list

A named query answers a compliance question with parameters bound by ClickHouse (values never
become SQL). --list prints every query with its parameters. Times are ISO 8601 (2026-03-01,
2026-03-01T09:00:00Z), "now", or "-<n>m", "-<n>h", "-<n>d" before now.

Or run one read-only SQL statement (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN); writes are refused.
Works whether or not "gatehouse start" is running: a running embedded gateway owns the chDB
store, so the query is sent to it over loopback.

Tables: audit_events, audit_findings, audit_checkpoints (see audit-ingest/README.md).

Options:
  --name NAME          a named query (see --list)
  --param name=value   a parameter of the named query; repeat for each
  --format table       aligned columns (default)
  --format csv         RFC 4180 CSV with a header line
  --format json        one JSON object per row (NDJSON)
  --list               the named queries and their parameters
  --config FILE        the config naming the store (default: as for "gatehouse start")

Examples:
  gatehouse audit query --name calls --param server=customers --param from=-7d
  gatehouse audit query --name dlp_actions --param profile=default --format csv
  gatehouse audit query "SELECT time, principal_subject, tool, decision FROM audit_events ORDER BY time DESC LIMIT 20"
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        format: { type: 'string', default: 'table' },
        config: { type: 'string' },
        name: { type: 'string' },
        param: { type: 'string', multiple: true, default: [] },
        list: { type: 'boolean', default: false },
      },
      true,
    );
    if (values.list) {
      io.stdout.write(`${listQueries()}\n`);
      return 0;
    }
    const format = FORMATS.find((candidate) => candidate === values.format);
    if (!format) throw new UsageError(`--format must be table, csv or json, not "${values.format}"`);
    const [sql, ...rest] = positionals;
    let request: QueryRequest;
    if (values.name !== undefined) {
      if (positionals.length > 0) throw new UsageError('give either --name NAME or "<SQL>", not both');
      request = { name: values.name, params: parseParams(values.param) };
    } else {
      if (!sql || rest.length > 0) throw new UsageError('expected: audit query --name NAME, or audit query "<SQL>" (quote the SQL as one argument)');
      if (values.param.length > 0) throw new UsageError('--param goes with --name');
      request = { sql };
    }
    const store = await loadStoreSettings(io, values.config);
    let result: ReadOnlyQueryResult;
    try {
      result = await runQuery(store, request, io);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      io.stderr.write(`gatehouse audit: ${(error as Error).message}${typeof code === 'string' && code.startsWith('GH_ERR_') ? ` [${code}]` : ''}\n`);
      return 1;
    }
    io.stdout.write(formatResult(result, format));
    return 0;
  },
};
