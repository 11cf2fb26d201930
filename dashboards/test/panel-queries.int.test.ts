import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseConnection } from '../../audit-ingest/src/index.ts';
import { DASHBOARDS } from '../src/dashboards.ts';
import type { SqlPanel } from '../src/panel-spec.ts';
import { expandClickHouseMacros, type MacroRange } from './support/clickhouse-macros.ts';
import { seedAuditTrail } from './support/seed-audit-trail.ts';

const sqlPanels = DASHBOARDS.flatMap((dashboard) =>
  dashboard.panels.filter((panel): panel is SqlPanel => panel.source === 'clickhouse').map((panel) => ({ name: `${dashboard.title}: ${panel.title}`, panel })),
);

// Every ClickHouse panel runs against a trail written through the real ingest path, with its
// macros expanded as the ClickHouse datasource does for one fixed time range.
describe('dashboard panels on the audit tables', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-dashboards-'));
  let connection: ClickHouseClient;
  // Event times are fixed relative to this moment; ingested_at is stamped by ClickHouse as it stores them.
  const seededUntil = Date.now();
  const range: MacroRange = { fromMs: seededUntil - 2 * 3_600_000, toMs: seededUntil + 3_600_000, intervalMs: 300_000 };

  beforeAll(async () => {
    connection = createClickHouseConnection({ kind: 'chdb', path: dataDir });
    const { events } = await seedAuditTrail(connection, seededUntil);
    expect(events).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await connection?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('covers panels of all four dashboards', () => {
    expect(new Set(sqlPanels.map(({ name }) => name.split(':')[0])).size).toBe(4);
  });

  it.each(sqlPanels)('$name returns rows with the columns it plots', async ({ panel }) => {
    const sql = expandClickHouseMacros(panel.sql, range);
    expect(sql).not.toContain('$__');
    const result = await connection.query({ query: sql, format: 'JSONCompactEachRowWithNamesAndTypes' });
    const [names, types, ...rows] = await result.json<unknown[]>();
    expect(names).toEqual(panel.columns);
    expect(rows.length).toBeGreaterThan(0);
    if (panel.kind === 'timeseries') expect(String((types as string[])[0])).toMatch(/^DateTime/);
    // A value column that is null in every row would plot nothing.
    for (const [index, column] of panel.columns.entries()) {
      expect(rows.some((row) => row[index] !== null && row[index] !== ''), `${column} has values`).toBe(true);
    }
  });

  it('splits the calls by portal, server and tool', async () => {
    const overview = sqlPanels.find(({ name }) => name.endsWith('Calls per minute by portal, server and tool'))!;
    const result = await connection.query({ query: expandClickHouseMacros(overview.panel.sql, range), format: 'JSONEachRow' });
    const calls = new Set((await result.json<{ call: string }>()).map((row) => row.call));
    expect(calls).toEqual(new Set(['main / crm / get_customer', 'main / crm / search_customers', 'support / tickets / create_ticket', 'support / tickets / list_tickets']));
  });
});
