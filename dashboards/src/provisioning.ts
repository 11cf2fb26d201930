import { stringify } from 'yaml';
import { CLICKHOUSE, PROMETHEUS } from './datasources.ts';

/** Where the compose file and the Kubernetes manifests mount generated/dashboards in Grafana. */
export const GRAFANA_DASHBOARDS_PATH = '/var/lib/grafana/dashboards/gatehouse';

/**
 * Environment variables Grafana substitutes into the datasource file at start: where ClickHouse
 * and Prometheus are, and the read-only ClickHouse user Grafana queries as (one with the
 * gatehouse_compliance role of audit-ingest/sql/roles.sql).
 */
export const GRAFANA_ENVIRONMENT = ['CLICKHOUSE_HOST', 'CLICKHOUSE_GRAFANA_USER', 'CLICKHOUSE_GRAFANA_PASSWORD', 'PROMETHEUS_URL'] as const;

const HEADER = '# Generated from dashboards/src by "npm run dashboards"; edit the code, not this file.\n';

export function datasourcesProvisioning(): string {
  return (
    HEADER +
    stringify({
      apiVersion: 1,
      datasources: [
        {
          name: 'Gatehouse audit (ClickHouse)',
          uid: CLICKHOUSE.uid,
          type: CLICKHOUSE.type,
          isDefault: true,
          editable: false,
          jsonData: {
            host: '${CLICKHOUSE_HOST}',
            port: 8123,
            protocol: 'http',
            secure: false,
            defaultDatabase: 'default',
            username: '${CLICKHOUSE_GRAFANA_USER}',
          },
          secureJsonData: { password: '${CLICKHOUSE_GRAFANA_PASSWORD}' },
        },
        {
          name: 'Gatehouse metrics (Prometheus)',
          uid: PROMETHEUS.uid,
          type: PROMETHEUS.type,
          access: 'proxy',
          editable: false,
          url: '${PROMETHEUS_URL}',
        },
      ],
    })
  );
}

export function dashboardsProvisioning(): string {
  return (
    HEADER +
    stringify({
      apiVersion: 1,
      providers: [
        {
          name: 'gatehouse',
          folder: 'Gatehouse',
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          options: { path: GRAFANA_DASHBOARDS_PATH },
        },
      ],
    })
  );
}
