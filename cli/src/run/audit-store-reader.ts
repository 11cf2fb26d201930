import type { Logger } from 'pino';
import { ReadOnlyQueryResultSchema, type ReadOnlyQueryResult } from '../../../audit-ingest/src/index.ts';
import type { StoreSettings } from '../config/runtime-settings.ts';
import { openAuditStore } from './audit-ingest-role.ts';
import { readLiveControlFile } from './local-query-endpoint.ts';

/** Read-only access to the audit store from a command that does not own it. */
export interface AuditStoreReader {
  query(sql: string): Promise<ReadOnlyQueryResult>;
  /** A named compliance query, parameters bound server-side. */
  runNamed(name: string, params: Record<string, string>): Promise<ReadOnlyQueryResult>;
  close(): Promise<void>;
}

class AuditStoreReaderError extends Error {}

/**
 * A chDB store admits one process, so while `gatehouse start` holds it, queries go to that process
 * over loopback (its control file names the URL and the secret, read again for every query so a
 * restarted `start` is found); otherwise the store is opened here, as a ClickHouse server always is.
 */
export async function openAuditStoreReader(store: StoreSettings, logger: Logger): Promise<AuditStoreReader> {
  if (store.kind === 'chdb' && (await readLiveControlFile(store.path))) {
    return {
      query: (sql) => queryRunningProcess(store.path, { sql }),
      runNamed: (name, params) => queryRunningProcess(store.path, { name, params }),
      close: async () => undefined,
    };
  }
  const opened = await openAuditStore(store, logger);
  return { query: (sql) => opened.query(sql), runNamed: (name, params) => opened.runNamed(name, params), close: () => opened.close() };
}

async function queryRunningProcess(chdbPath: string, request: { sql: string } | { name: string; params: Record<string, string> }): Promise<ReadOnlyQueryResult> {
  const running = await readLiveControlFile(chdbPath);
  if (!running) throw new AuditStoreReaderError(`the gatehouse process that held ${chdbPath} has stopped; run the command again`);
  const response = await fetch(`${running.url}/local/audit/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${running.secret}` },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (!response.ok) throw new AuditStoreReaderError(body.error?.message ?? `the running gatehouse (pid ${running.pid}) answered ${response.status}`);
  return ReadOnlyQueryResultSchema.parse(body);
}
