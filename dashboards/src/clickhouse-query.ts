import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { CLICKHOUSE } from './datasources.ts';

/** How the ClickHouse datasource shapes a result: sqlds' format (0 time series, 1 table) and the editor's query type. */
export type ClickHouseResultShape = 'timeseries' | 'table';

/**
 * A raw-SQL target of the grafana-clickhouse-datasource plugin (its CHSqlQuery: editorType `sql`,
 * queryType, format, rawSql). The foundation SDK has no builder for this plugin.
 */
export function clickHouseQuery(refId: string, sql: string, shape: ClickHouseResultShape): Builder<Dataquery> {
  return {
    build: () =>
      ({
        refId,
        datasource: CLICKHOUSE,
        editorType: 'sql',
        queryType: shape,
        format: shape === 'timeseries' ? 0 : 1,
        rawSql: sql,
      }) as unknown as Dataquery,
  };
}
