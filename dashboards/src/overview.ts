import type { DashboardSpec } from './panel-spec.ts';

export const overviewDashboard: DashboardSpec = {
  uid: 'gatehouse-overview',
  title: 'Gatehouse / Overview',
  description: 'Tool calls through the gateway: volume by portal, server and tool, DLP decisions, errors and latency.',
  tags: ['gatehouse'],
  panels: [
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Tool calls',
      description: 'Exchanges accepted for checking in the time range: tools/call, and prompts/get, resources/read, completion/complete and the sampling and elicitation requests upstreams send (body.operation tells them apart).',
      sql: `SELECT count() AS calls
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.received'`,
      columns: ['calls'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Blocked calls',
      description: 'Calls a DLP profile blocked, in either direction.',
      sql: `SELECT count() AS blocked
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.completed' AND decision = 'blocked'`,
      columns: ['blocked'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Error rate',
      description: 'Share of calls refused (no verdict in time: fail-closed) or failed upstream.',
      sql: `SELECT countIf(decision IN ('refused', 'upstream_error')) / greatest(count(), 1) AS error_rate
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.completed'`,
      columns: ['error_rate'],
      unit: 'percentunit',
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Callers',
      description: 'Distinct principals that called a tool.',
      sql: `SELECT uniqExact(principal_subject) AS callers
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.received'`,
      columns: ['callers'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Calls per minute by portal, server and tool',
      description: 'Checked exchanges per minute; `tool` is the upstream server\'s own tool or prompt name, resource URI, or the method of a request to the client.',
      sql: `SELECT $__timeInterval(time) AS bucket, concat(portal, ' / ', server, ' / ', tool) AS call, count() * 60 / $__interval_s AS calls_per_minute
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.received'
GROUP BY bucket, call
ORDER BY bucket`,
      columns: ['bucket', 'call', 'calls_per_minute'],
      unit: 'cpm',
      width: 24,
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'DLP decisions',
      description: 'Verdicts on arguments and results: allow, block, redact.',
      sql: `SELECT $__timeInterval(time) AS bucket, decision, count() AS verdicts
FROM audit_events
WHERE $__timeFilter(time) AND type = 'dlp.verdict'
GROUP BY bucket, decision
ORDER BY bucket`,
      columns: ['bucket', 'decision', 'verdicts'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Error rate over time',
      description: 'Share of completed calls that were refused or failed upstream.',
      sql: `SELECT $__timeInterval(time) AS bucket, countIf(decision IN ('refused', 'upstream_error')) / count() AS error_rate
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.completed'
GROUP BY bucket
ORDER BY bucket`,
      columns: ['bucket', 'error_rate'],
      unit: 'percentunit',
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Gateway latency p50 / p99',
      description: 'Whole tools/call as the client waits for it: both verdicts, the upstream and the audit writes.',
      sql: `SELECT $__timeInterval(time) AS bucket,
  quantile(0.5)(JSONExtractFloat(body, 'latency_ms')) AS p50_ms,
  quantile(0.99)(JSONExtractFloat(body, 'latency_ms')) AS p99_ms
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.completed'
GROUP BY bucket
ORDER BY bucket`,
      columns: ['bucket', 'p50_ms', 'p99_ms'],
      unit: 'ms',
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'DLP scan latency p50 / p99',
      description: 'Time a DLP worker spent scanning one payload (scan_ms of dlp.verdict).',
      sql: `SELECT $__timeInterval(time) AS bucket,
  quantile(0.5)(JSONExtractFloat(body, 'scan_ms')) AS p50_ms,
  quantile(0.99)(JSONExtractFloat(body, 'scan_ms')) AS p99_ms
FROM audit_events
WHERE $__timeFilter(time) AND type = 'dlp.verdict'
GROUP BY bucket
ORDER BY bucket`,
      columns: ['bucket', 'p50_ms', 'p99_ms'],
      unit: 'ms',
    },
    {
      source: 'prometheus',
      kind: 'timeseries',
      title: 'Verdict round trip p50 / p99 (gateway)',
      description: 'Publish the payload, wait for the DLP answer, as each gateway measures it (Prometheus).',
      expr: 'histogram_quantile(0.99, sum by (le, direction) (rate(gatehouse_gateway_verdict_seconds_bucket[$__rate_interval])))',
      legend: 'p99 {{direction}}',
      unit: 's',
      width: 24,
    },
  ],
};
