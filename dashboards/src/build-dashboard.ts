import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { LegendDisplayMode, LegendPlacement, ReduceDataOptionsBuilder, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, DashboardCursorSync, type Dashboard, type Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as PrometheusQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { clickHouseQuery } from './clickhouse-query.ts';
import { CLICKHOUSE, PROMETHEUS } from './datasources.ts';
import type { DashboardSpec, PanelSpec } from './panel-spec.ts';

const GRID_WIDTH = 24;
const DEFAULT_WIDTH = { timeseries: 12, stat: 6, table: 12 } as const;
const DEFAULT_HEIGHT = { timeseries: 8, stat: 4, table: 9 } as const;

/** The Grafana dashboard model of a spec: panels laid out left to right, wrapping at the grid's width. */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const dashboard = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(`${spec.description} Generated from dashboards/src by "npm run dashboards"; edit the code, not this JSON.`)
    .tags(spec.tags)
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .timezone('utc')
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' });
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  spec.panels.forEach((panel, index) => {
    const w = panel.width ?? DEFAULT_WIDTH[panel.kind];
    const h = panel.height ?? DEFAULT_HEIGHT[panel.kind];
    if (x + w > GRID_WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    dashboard.withPanel(panelBuilder(panel, index + 1).gridPos({ x, y, w, h }));
    x += w;
    rowHeight = Math.max(rowHeight, h);
  });
  return dashboard.build();
}

interface CommonPanelBuilder extends Builder<Panel> {
  gridPos(gridPos: { x: number; y: number; w: number; h: number }): this;
}

function panelBuilder(panel: PanelSpec, id: number): CommonPanelBuilder {
  const target = targetOf(panel);
  const datasource = panel.source === 'clickhouse' ? CLICKHOUSE : PROMETHEUS;
  switch (panel.kind) {
    case 'timeseries':
      return withCommon(new TimeseriesPanel(), panel, id, datasource, target)
        .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
        .fillOpacity(10);
    case 'stat':
      return withCommon(new StatPanel(), panel, id, datasource, target).reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']));
    case 'table':
      return withCommon(new TablePanel(), panel, id, datasource, target);
  }
}

interface Common {
  id(id: number): this;
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: { type?: string; uid?: string }): this;
  withTarget(target: Builder<Dataquery>): this;
  unit(unit: string): this;
}

function withCommon<T extends Common>(builder: T, panel: PanelSpec, id: number, datasource: { type: string; uid: string }, target: Builder<Dataquery>): T {
  const built = builder.id(id).title(panel.title).description(panel.description).datasource(datasource).withTarget(target);
  return panel.unit ? built.unit(panel.unit) : built;
}

function targetOf(panel: PanelSpec): Builder<Dataquery> {
  if (panel.source === 'clickhouse') return clickHouseQuery('A', panel.sql, panel.kind === 'timeseries' ? 'timeseries' : 'table');
  const query = new PrometheusQuery().refId('A').datasource(PROMETHEUS).expr(panel.expr).legendFormat(panel.legend);
  return panel.kind === 'stat' ? query.instant() : query.range();
}
