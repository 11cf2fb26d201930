import type { ExportAction, ExportRecord, ExportSeverity } from '../export-record.ts';

/** The Elastic Common Schema version the documents follow. */
export const ECS_VERSION = '8.11.0';

export interface EcsContext {
  productVersion: string;
}

const EVENT_TYPE: Record<ExportAction, string[]> = {
  allowed: ['access', 'allowed'],
  denied: ['access', 'denied'],
  modified: ['access', 'change'],
  observed: ['info'],
};
const SEVERITY: Record<ExportSeverity, number> = { informational: 1, low: 3, medium: 5, high: 8 };

/**
 * One record as an ECS document (the shape Elasticsearch and Elastic Security ingest). Calls are
 * `event.category: api`; findings are `event.kind: alert` with the detector as `rule.name`.
 * Gatehouse's own fields without an ECS home live under `gatehouse.*`.
 */
export function toEcs(record: ExportRecord, context: EcsContext): Record<string, unknown> {
  const { row } = record;
  const finding = record.kind === 'finding' ? record.finding : undefined;
  return {
    '@timestamp': new Date(row.time_ms).toISOString(),
    ecs: { version: ECS_VERSION },
    message: record.summary,
    event: {
      id: record.uid,
      kind: finding && finding.action !== 'audit' ? 'alert' : 'event',
      category: ['api'],
      type: EVENT_TYPE[record.action],
      action: finding ? 'dlp-finding' : row.type,
      outcome: record.status,
      severity: SEVERITY[record.severity],
      ...(row.body.reason ? { reason: row.body.reason } : {}),
      ...(row.body.latency_ms !== undefined ? { duration: Math.round(row.body.latency_ms * 1_000_000) } : {}),
      ingested: new Date(row.ingested_at_ms).toISOString(),
      dataset: 'gatehouse.audit',
      module: 'gatehouse',
      provider: 'gatehouse',
    },
    user: { id: row.principal_subject, name: row.principal_subject, ...(row.principal_email ? { email: row.principal_email } : {}) },
    observer: { type: 'gateway', name: row.gateway, vendor: 'Gatehouse', product: 'Gatehouse', version: context.productVersion },
    trace: { id: row.trace_id },
    ...(row.correlation_id ? { transaction: { id: row.correlation_id } } : {}),
    ...(finding
      ? { rule: { name: finding.detector, category: finding.type, ...(row.body.profile ? { ruleset: row.body.profile } : {}) } }
      : {}),
    gatehouse: {
      portal: row.portal,
      server: row.server,
      tool: row.tool,
      decision: row.decision,
      groups: row.principal_groups,
      ...(row.body.detail ? { detail: row.body.detail } : {}),
      ...(finding
        ? { finding: { detector: finding.detector, type: finding.type, path: finding.path, start: finding.start, end: finding.end, confidence: finding.confidence, action: finding.action, direction: row.body.direction } }
        : {}),
      kafka: { topic: row.kafka_topic, partition: row.kafka_partition, offset: row.kafka_offset },
    },
  };
}
