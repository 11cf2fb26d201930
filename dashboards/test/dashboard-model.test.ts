import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../events/src/observability/index.ts';
import { buildDashboard } from '../src/build-dashboard.ts';
import { DASHBOARDS } from '../src/dashboards.ts';
import { CLICKHOUSE, PROMETHEUS } from '../src/datasources.ts';

describe('dashboard models', () => {
  it('have unique uids and panel ids, and panels that stay inside the 24-column grid without overlapping', () => {
    expect(new Set(DASHBOARDS.map((d) => d.uid)).size).toBe(DASHBOARDS.length);
    for (const spec of DASHBOARDS) {
      const panels = buildDashboard(spec).panels ?? [];
      expect(panels).toHaveLength(spec.panels.length);
      const cells = new Set<string>();
      for (const panel of panels) {
        const { x, y, w, h } = (panel as { gridPos: { x: number; y: number; w: number; h: number } }).gridPos;
        expect(x + w).toBeLessThanOrEqual(24);
        for (let col = x; col < x + w; col += 1) {
          for (let row = y; row < y + h; row += 1) {
            const cell = `${col},${row}`;
            expect(cells.has(cell), `${spec.uid}: panels overlap at ${cell}`).toBe(false);
            cells.add(cell);
          }
        }
      }
    }
  });

  it('query the provisioned datasources: ClickHouse as raw SQL, Prometheus with PromQL', () => {
    for (const spec of DASHBOARDS) {
      for (const panel of buildDashboard(spec).panels ?? []) {
        const target = (panel as unknown as { targets: Array<Record<string, unknown>> }).targets[0]!;
        const datasource = target['datasource'] as { uid: string };
        if (datasource.uid === CLICKHOUSE.uid) {
          expect(target).toMatchObject({ editorType: 'sql', rawSql: expect.stringContaining('FROM') });
          expect(['timeseries', 'table']).toContain(target['queryType']);
        } else {
          expect(datasource.uid).toBe(PROMETHEUS.uid);
          expect(target['expr']).toEqual(expect.stringContaining('gatehouse_'));
        }
      }
    }
  });

  it('plot only metrics the roles export', async () => {
    const exported = new Set((await createMetrics({ processMetrics: false }).registry.getMetricsAsJSON()).map((metric) => metric.name));
    const plotted = DASHBOARDS.flatMap((spec) => spec.panels.flatMap((panel) => (panel.source === 'prometheus' ? (panel.expr.match(/gatehouse_[a-z_]+/g) ?? []) : [])));
    expect(plotted.length).toBeGreaterThan(0);
    for (const name of plotted) expect(exported, name).toContain(name.replace(/_(bucket|sum|count)$/, ''));
  });
});
