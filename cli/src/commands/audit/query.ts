import { formatRowsAsTable, ReadOnlyQueryResultSchema, type ReadOnlyQueryResult } from '../../../../audit-ingest/src/index.ts';
import type { Command, CommandIO } from '../../command.ts';
import { loadStoreSettings } from '../../config/load-settings.ts';
import type { StoreSettings } from '../../config/runtime-settings.ts';
import { createLogger } from '../../logger.ts';
import { parseCommandArgs, UsageError } from '../../parse-args.ts';
import { openAuditStore } from '../../run/audit-ingest-role.ts';
import { readLiveControlFile } from '../../run/local-query-endpoint.ts';

class AuditQueryError extends Error {}

/**
 * Runs a read-only query. A chDB store admits one process, so when `gatehouse start` holds it the
 * query goes to that process over loopback; otherwise the store is opened here.
 */
async function runQuery(store: StoreSettings, sql: string, io: CommandIO): Promise<ReadOnlyQueryResult> {
  if (store.kind === 'chdb') {
    const running = await readLiveControlFile(store.path);
    if (running) {
      const response = await fetch(`${running.url}/local/audit/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${running.secret}` },
        body: JSON.stringify({ sql }),
      });
      const body = (await response.json()) as { error?: { message: string } };
      if (!response.ok) throw new AuditQueryError(body.error?.message ?? `the running gatehouse (pid ${running.pid}) answered ${response.status}`);
      return ReadOnlyQueryResultSchema.parse(body);
    }
  }
  const opened = await openAuditStore(store, createLogger({ ...io.env, LOG_LEVEL: io.env['LOG_LEVEL'] || 'warn' }, 'audit'));
  try {
    return await opened.query(sql);
  } finally {
    await opened.close();
  }
}

export const auditQueryCommand: Command = {
  name: 'query',
  summary: 'run one read-only SQL statement on the audit trail',
  help: `
Usage: gatehouse audit query "<SQL>" [--format table|json] [--config FILE]

Runs one read-only SQL statement (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN) against the audit
store and prints the rows. Writes are refused. Works whether or not "gatehouse start" is running:
a running embedded gateway owns the chDB store, so the query is sent to it over loopback.

Tables: audit_events (one row per audit event; see README.md "Audit trail" for the columns).

Options:
  --format table  aligned columns (default)
  --format json   one JSON object per row (NDJSON)
  --config FILE   the config naming the store (default: as for "gatehouse start")

Example:
  gatehouse audit query "SELECT time, principal_subject, tool, decision FROM audit_events ORDER BY time DESC LIMIT 20"
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: 'string', default: 'table' }, config: { type: 'string' } }, true);
    const [sql, ...rest] = positionals;
    if (!sql || rest.length > 0) throw new UsageError('expected: audit query "<SQL>" (quote the SQL as one argument)');
    if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, not "${values.format}"`);
    const store = await loadStoreSettings(io, values.config);
    let result: ReadOnlyQueryResult;
    try {
      result = await runQuery(store, sql, io);
    } catch (error) {
      io.stderr.write(`gatehouse audit: ${(error as Error).message}\n`);
      return 1;
    }
    if (values.format === 'json') {
      for (const row of result.rows) io.stdout.write(`${JSON.stringify(Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])))}\n`);
    } else {
      io.stdout.write(`${formatRowsAsTable(result)}\n`);
    }
    return 0;
  },
};
