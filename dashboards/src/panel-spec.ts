/** A panel over the audit tables in ClickHouse. */
export interface SqlPanel {
  source: 'clickhouse';
  kind: 'timeseries' | 'stat' | 'table';
  title: string;
  description: string;
  /** SQL with the ClickHouse datasource's macros ($__timeFilter, $__timeInterval, $__interval_s, …). */
  sql: string;
  /** The columns the visualization plots; the dashboards test checks the query returns each. */
  columns: string[];
  unit?: string;
  width?: number;
  height?: number;
}

/** A panel over the roles' Prometheus metrics (what the audit tables cannot know, such as export cursors). */
export interface PromPanel {
  source: 'prometheus';
  kind: 'timeseries' | 'stat';
  title: string;
  description: string;
  expr: string;
  legend: string;
  unit?: string;
  width?: number;
  height?: number;
}

export type PanelSpec = SqlPanel | PromPanel;

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: PanelSpec[];
}
