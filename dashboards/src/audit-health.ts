import type { DashboardSpec } from './panel-spec.ts';

export const auditHealthDashboard: DashboardSpec = {
  uid: 'gatehouse-audit-health',
  title: 'Gatehouse / Audit health',
  description: 'Is the audit trail complete and current: ingest lag, hash chains and signed checkpoints per partition, SIEM export cursors.',
  tags: ['gatehouse', 'audit'],
  panels: [
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Ingest lag (max)',
      description: 'Longest wait between an event and its row in ClickHouse, over rows ingested in the range.',
      sql: `SELECT maxOrNull(dateDiff('millisecond', time, ingested_at)) / 1000 AS max_lag_seconds
FROM audit_events
WHERE $__timeFilter(ingested_at)`,
      columns: ['max_lag_seconds'],
      unit: 's',
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Since last checkpoint',
      description: 'Age of the newest signed checkpoint; grows when audit-ingest stops signing (see audit.checkpoints).',
      sql: `SELECT dateDiff('second', maxOrNull(created_at), now64(3)) AS seconds_since_checkpoint
FROM audit_checkpoints`,
      columns: ['seconds_since_checkpoint'],
      unit: 's',
    },
    {
      source: 'prometheus',
      kind: 'stat',
      title: 'Export cursor lag',
      description: 'How far behind the newest row each SIEM receiver is (audit-export; Prometheus).',
      expr: 'time() - max by (sink) (gatehouse_export_cursor_timestamp_seconds)',
      legend: '{{sink}}',
      unit: 's',
      width: 12,
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Ingest lag p50 / max',
      description: 'From event time to ingested_at, by time of ingestion.',
      sql: `SELECT $__timeInterval(ingested_at) AS bucket,
  quantile(0.5)(dateDiff('millisecond', time, ingested_at)) / 1000 AS p50_lag_seconds,
  max(dateDiff('millisecond', time, ingested_at)) / 1000 AS max_lag_seconds
FROM audit_events
WHERE $__timeFilter(ingested_at)
GROUP BY bucket
ORDER BY bucket`,
      columns: ['bucket', 'p50_lag_seconds', 'max_lag_seconds'],
      unit: 's',
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Rows ingested by event type',
      description: 'Rows stored per interval, by event type.',
      sql: `SELECT $__timeInterval(ingested_at) AS bucket, type, count() AS rows_ingested
FROM audit_events
WHERE $__timeFilter(ingested_at)
GROUP BY bucket, type
ORDER BY bucket`,
      columns: ['bucket', 'type', 'rows_ingested'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Chains and checkpoints per partition',
      description:
        'Each Kafka partition of the audit topic is one hash chain. A partition whose newest checkpoint lags far behind its newest row is not being signed; "gatehouse audit verify" checks the chains.',
      sql: `SELECT e.kafka_topic AS topic, e.kafka_partition AS partition, e.rows_stored, e.last_offset, e.last_ingested_at,
  c.checkpoints, c.last_checkpoint_at, dateDiff('second', c.last_checkpoint_at, e.last_ingested_at) AS unsigned_seconds
FROM
(
  SELECT kafka_topic, kafka_partition, count() AS rows_stored, max(kafka_offset) AS last_offset, max(ingested_at) AS last_ingested_at
  FROM audit_events
  GROUP BY kafka_topic, kafka_partition
) AS e
LEFT JOIN
(
  SELECT kafka_topic, kafka_partition, count() AS checkpoints, max(created_at) AS last_checkpoint_at
  FROM audit_checkpoints
  GROUP BY kafka_topic, kafka_partition
) AS c
ON e.kafka_topic = c.kafka_topic AND e.kafka_partition = c.kafka_partition
ORDER BY topic, partition`,
      columns: ['topic', 'partition', 'rows_stored', 'last_offset', 'last_ingested_at', 'checkpoints', 'last_checkpoint_at', 'unsigned_seconds'],
      width: 24,
    },
    {
      source: 'prometheus',
      kind: 'timeseries',
      title: 'Consume lag p99 by consumer group',
      description: 'From event creation to a handler receiving it: DLP workers, audit-ingest, gateways (Prometheus).',
      expr: 'histogram_quantile(0.99, sum by (le, group) (rate(gatehouse_bus_consume_lag_seconds_bucket[$__rate_interval])))',
      legend: '{{group}}',
      unit: 's',
    },
    {
      source: 'prometheus',
      kind: 'timeseries',
      title: 'Ingest batch size',
      description: 'Events per delivered batch of audit-ingest: one ClickHouse insert each (Prometheus).',
      expr: 'sum(rate(gatehouse_bus_batch_events_sum{group="gatehouse-audit-ingest"}[$__rate_interval])) / sum(rate(gatehouse_bus_batch_events_count{group="gatehouse-audit-ingest"}[$__rate_interval]))',
      legend: 'events per insert',
    },
  ],
};
