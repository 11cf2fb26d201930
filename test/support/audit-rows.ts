export type AuditRow = Record<string, unknown>;

interface QueryResult {
  columns: Array<{ name: string }>;
  rows: unknown[][];
}

/** Polls a read-only query until `done` accepts its rows; ingest is asynchronous on Kafka. */
export async function waitForAuditRows(
  query: (sql: string) => Promise<QueryResult>,
  sql: string,
  done: (rows: AuditRow[]) => boolean,
  timeoutMs = 20_000,
): Promise<AuditRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: AuditRow[] = [];
  while (Date.now() < deadline) {
    const result = await query(sql);
    rows = result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));
    if (done(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`audit rows did not appear within ${timeoutMs} ms; last saw: ${JSON.stringify(rows)}`);
}
