import type { ActivityRecord, ExportAction, ExportRecord, ExportSeverity, ExportStatus, FindingRecord } from '../export-record.ts';
import type { ExportRow } from '../export-row.ts';

/** The OCSF schema version the records follow (https://schema.ocsf.io/1.5.0). */
export const OCSF_VERSION = '1.5.0';

export interface OcsfContext {
  productVersion: string;
}

type OcsfObject = Record<string, unknown>;

const SEVERITY: Record<ExportSeverity, [number, string]> = {
  informational: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
};
const STATUS: Record<ExportStatus, [number, string]> = { unknown: [0, 'Unknown'], success: [1, 'Success'], failure: [2, 'Failure'] };
/** security_control profile: action_id and disposition_id. A redaction has no disposition of its own in OCSF. */
const ACTION: Record<ExportAction, { action: [number, string]; disposition: [number, string] }> = {
  allowed: { action: [1, 'Allowed'], disposition: [1, 'Allowed'] },
  denied: { action: [2, 'Denied'], disposition: [2, 'Blocked'] },
  modified: { action: [4, 'Modified'], disposition: [99, 'Redacted'] },
  observed: { action: [3, 'Observed'], disposition: [15, 'Detected'] },
};

/**
 * One record as an OCSF event: API Activity (6003) for calls, outcomes and denials, Data Security
 * Finding (2006) for DLP findings. Both apply the security_control profile (what the gateway did).
 * Findings locate the value (path and offsets, in `unmapped`) and never carry it:
 * `data_security.pattern_match` stays unset.
 */
export function toOcsf(record: ExportRecord, context: OcsfContext): OcsfObject {
  return record.kind === 'finding' ? dataSecurityFinding(record, context) : apiActivity(record, context);
}

function apiActivity(record: ActivityRecord, context: OcsfContext): OcsfObject {
  const { row } = record;
  const [statusId, status] = STATUS[record.status];
  return {
    ...classFields(6003, 'API Activity', 6, 'Application Activity', 99, 'Other'),
    ...common(record, context),
    status_id: statusId,
    status,
    ...(row.body.reason ? { status_detail: row.body.reason } : {}),
    ...(row.body.latency_ms !== undefined ? { duration: Math.round(row.body.latency_ms) } : {}),
    api: {
      operation: row.type.startsWith('tool.call.') ? 'tools/call' : row.type,
      service: { name: row.server },
      ...(row.correlation_id ? { request: { uid: row.correlation_id } } : {}),
    },
    // The trail does not record client addresses; the source is an MCP client of this gateway.
    src_endpoint: { svc_name: 'mcp' },
    dst_endpoint: { name: row.gateway, svc_name: 'gatehouse' },
    ...(row.tool ? { resources: [{ name: row.tool, type: 'MCP Tool', uid: resourceUid(row), group: { name: row.portal } }] } : {}),
  };
}

function dataSecurityFinding(record: FindingRecord, context: OcsfContext): OcsfObject {
  const { row, finding } = record;
  return {
    ...classFields(2006, 'Data Security Finding', 2, 'Findings', 1, 'Create'),
    ...common(record, context),
    status_id: 1,
    status: 'New',
    is_alert: finding.action !== 'audit',
    confidence_score: Math.round(finding.confidence * 100),
    ...confidenceId(finding.confidence),
    finding_info: {
      uid: record.uid,
      title: `${finding.detector} detected in tool ${row.body.direction ?? 'payload'}`,
      desc: record.summary,
      types: [finding.type],
      created_time: row.time_ms,
      analytic: { name: finding.detector, type_id: 1, type: 'Rule' },
    },
    data_security: {
      detection_system_id: 2,
      detection_system: 'DLP Gateway',
      data_lifecycle_state_id: 2,
      data_lifecycle_state: 'Data in-Transit',
      detection_pattern: finding.detector,
      ...(row.body.profile ? { policy: { name: row.body.profile, uid: row.body.profile } } : {}),
    },
    ...(row.tool ? { resources: [{ name: row.tool, type: 'MCP Tool', uid: resourceUid(row), group: { name: row.portal } }] } : {}),
  };
}

function classFields(classUid: number, className: string, categoryUid: number, categoryName: string, activityId: number, activityName: string): OcsfObject {
  return {
    class_uid: classUid,
    class_name: className,
    category_uid: categoryUid,
    category_name: categoryName,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${activityName}`,
  };
}

/** Attributes of every record: time, severity, metadata, actor, what the gateway did, and Gatehouse's own fields. */
function common(record: ExportRecord, context: OcsfContext): OcsfObject {
  const { row } = record;
  const [severityId, severity] = SEVERITY[record.severity];
  const { action, disposition } = ACTION[record.action];
  return {
    time: row.time_ms,
    severity_id: severityId,
    severity,
    message: record.summary,
    action_id: action[0],
    action: action[1],
    disposition_id: disposition[0],
    disposition: disposition[1],
    metadata: {
      version: OCSF_VERSION,
      profiles: ['security_control'],
      uid: record.uid,
      event_code: row.type,
      correlation_uid: row.trace_id,
      logged_time: row.ingested_at_ms,
      original_time: new Date(row.time_ms).toISOString(),
      log_name: row.kafka_topic,
      product: { name: 'Gatehouse', vendor_name: 'Gatehouse', version: context.productVersion },
    },
    actor: {
      user: {
        uid: row.principal_subject,
        name: row.principal_subject,
        ...(row.principal_email ? { email_addr: row.principal_email } : {}),
        groups: row.principal_groups.map((name) => ({ name })),
      },
    },
    unmapped: unmapped(record),
  };
}

function unmapped(record: ExportRecord): OcsfObject {
  const { row } = record;
  return {
    portal: row.portal,
    decision: row.decision,
    ...(row.body.detail ? { detail: row.body.detail } : {}),
    ...(row.body.rule ? { rule: row.body.rule } : {}),
    ...(record.kind === 'finding'
      ? { finding: { path: record.finding.path, start: record.finding.start, end: record.finding.end, action: record.finding.action, direction: row.body.direction } }
      : {}),
    kafka: { partition: row.kafka_partition, offset: row.kafka_offset },
  };
}

function confidenceId(confidence: number): OcsfObject {
  const [id, caption] = confidence >= 0.8 ? [3, 'High'] : confidence >= 0.5 ? [2, 'Medium'] : [1, 'Low'];
  return { confidence_id: id, confidence: caption };
}

/** `<portal>/<server>/<tool>`: one tool as a SIEM should count it. */
export function resourceUid(row: ExportRow): string {
  return `${row.portal}/${row.server}/${row.tool}`;
}
