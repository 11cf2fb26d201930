import type { DashboardSpec } from './panel-spec.ts';

/** One row per DLP finding: detector, type, path and offsets — never the value. */
const FINDINGS = `FROM audit_events
ARRAY JOIN JSONExtractArrayRaw(body, 'findings') AS finding
WHERE $__timeFilter(time) AND type = 'dlp.verdict'`;

export const dlpDashboard: DashboardSpec = {
  uid: 'gatehouse-dlp',
  title: 'Gatehouse / DLP',
  description: 'What the DLP workers find and do: findings by detector and type, blocks by tool and caller, redactions.',
  tags: ['gatehouse', 'dlp'],
  panels: [
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Findings by detector',
      description: 'DLP findings over time, by the detector that matched.',
      sql: `SELECT $__timeInterval(time) AS bucket, JSONExtractString(finding, 'detector') AS detector, count() AS findings
${FINDINGS}
GROUP BY bucket, detector
ORDER BY bucket`,
      columns: ['bucket', 'detector', 'findings'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Findings by type',
      description: 'DLP findings over time, by data type (pii, pci, secret, …).',
      sql: `SELECT $__timeInterval(time) AS bucket, JSONExtractString(finding, 'type') AS finding_type, count() AS findings
${FINDINGS}
GROUP BY bucket, finding_type
ORDER BY bucket`,
      columns: ['bucket', 'finding_type', 'findings'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Findings by detector and action',
      description: 'What each detector found and what its profile did with it (block, redact, audit).',
      sql: `SELECT JSONExtractString(finding, 'detector') AS detector, JSONExtractString(finding, 'type') AS finding_type,
  JSONExtractString(finding, 'action') AS action, count() AS findings
${FINDINGS}
GROUP BY detector, finding_type, action
ORDER BY findings DESC`,
      columns: ['detector', 'finding_type', 'action', 'findings'],
      width: 24,
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Top blocked tools',
      description: 'Tools whose calls DLP blocked most often.',
      sql: `SELECT portal, server, tool, count() AS blocked
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.completed' AND decision = 'blocked'
GROUP BY portal, server, tool
ORDER BY blocked DESC
LIMIT 10`,
      columns: ['portal', 'server', 'tool', 'blocked'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Top blocked users',
      description: 'Callers whose calls DLP blocked most often.',
      sql: `SELECT principal_subject, principal_email, count() AS blocked
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.completed' AND decision = 'blocked'
GROUP BY principal_subject, principal_email
ORDER BY blocked DESC
LIMIT 10`,
      columns: ['principal_subject', 'principal_email', 'blocked'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Redactions',
      description: 'Payloads forwarded with sensitive values redacted, by direction (arguments, result).',
      sql: `SELECT $__timeInterval(time) AS bucket, JSONExtractString(body, 'direction') AS direction, count() AS redactions
FROM audit_events
WHERE $__timeFilter(time) AND type = 'dlp.verdict' AND decision = 'redact'
GROUP BY bucket, direction
ORDER BY bucket`,
      columns: ['bucket', 'direction', 'redactions'],
      width: 24,
    },
  ],
};
