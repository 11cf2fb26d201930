import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** Fixed uids, so provisioned dashboards find the provisioned datasources in every Grafana. */
export const CLICKHOUSE: Required<DataSourceRef> = { type: 'grafana-clickhouse-datasource', uid: 'gatehouse-clickhouse' };
export const PROMETHEUS: Required<DataSourceRef> = { type: 'prometheus', uid: 'gatehouse-prometheus' };
