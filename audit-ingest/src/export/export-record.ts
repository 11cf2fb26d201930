import type { Finding } from '../../../events/src/index.ts';
import type { ExportRow } from './export-row.ts';

/** What the gateway did about the activity, in the words every SIEM format has a field for. */
export type ExportAction = 'allowed' | 'denied' | 'modified' | 'observed';
export type ExportStatus = 'success' | 'failure' | 'unknown';
export type ExportSeverity = 'informational' | 'low' | 'medium' | 'high';

interface RecordBase {
  row: ExportRow;
  /** Unique per record: the event id, plus the finding's index for a finding. */
  uid: string;
  action: ExportAction;
  status: ExportStatus;
  severity: ExportSeverity;
  /** One line a person reads in a SIEM's event list; built from names and codes only, never values. */
  summary: string;
}

/** A call, its outcome, a denial, or any other audit event. */
export interface ActivityRecord extends RecordBase {
  kind: 'activity';
}

/** One DLP finding of a verdict: what was detected where, and what the profile did. */
export interface FindingRecord extends RecordBase {
  kind: 'finding';
  finding: Finding;
}

export type ExportRecord = ActivityRecord | FindingRecord;

/**
 * The records an audit row exports as, the same for every format. A DLP verdict becomes one
 * finding record per finding and none when nothing was found (the call's received and completed
 * events already carry the activity); every other row becomes one activity record.
 */
export function toExportRecords(row: ExportRow): ExportRecord[] {
  if (row.type === 'dlp.verdict') return (row.body.findings ?? []).map((finding, index) => findingRecord(row, finding, index));
  return [activityRecord(row)];
}

const OUTCOMES: Record<string, Pick<RecordBase, 'action' | 'status' | 'severity'>> = {
  allowed: { action: 'allowed', status: 'success', severity: 'informational' },
  redacted: { action: 'modified', status: 'success', severity: 'low' },
  blocked: { action: 'denied', status: 'failure', severity: 'medium' },
  refused: { action: 'denied', status: 'failure', severity: 'medium' },
  // The gateway let the call through; the upstream failed it.
  upstream_error: { action: 'allowed', status: 'failure', severity: 'low' },
};

const FINDING_ACTIONS: Record<Finding['action'], Pick<RecordBase, 'action' | 'severity'>> = {
  block: { action: 'denied', severity: 'high' },
  redact: { action: 'modified', severity: 'medium' },
  audit: { action: 'observed', severity: 'low' },
};

function activityRecord(row: ExportRow): ActivityRecord {
  const where = place(row);
  const because = row.body.reason ? ` (${row.body.reason})` : '';
  const base = { kind: 'activity' as const, row, uid: row.event_id };
  switch (row.type) {
    case 'tool.call.received':
      return { ...base, action: 'observed', status: 'unknown', severity: 'informational', summary: `tool call ${where} received` };
    case 'tool.call.completed': {
      const outcome = OUTCOMES[row.decision] ?? { action: 'observed', status: 'unknown', severity: 'informational' };
      return { ...base, ...outcome, summary: `tool call ${where} ${row.decision || 'completed'}${because}` };
    }
    case 'access.denied':
      return { ...base, action: 'denied', status: 'failure', severity: 'medium', summary: `access denied${row.tool ? ` to ${where}` : ''}${because}` };
    default:
      return { ...base, action: 'observed', status: 'unknown', severity: 'informational', summary: `${row.type}${row.tool ? ` ${where}` : ''}${because}` };
  }
}

function findingRecord(row: ExportRow, finding: Finding, index: number): FindingRecord {
  const direction = row.body.direction ?? 'payload';
  return {
    kind: 'finding',
    row,
    finding,
    uid: `${row.event_id}/${index}`,
    status: 'success',
    ...FINDING_ACTIONS[finding.action],
    summary: `${finding.detector} (${finding.type}) in the ${direction} of ${place(row)} at ${finding.path}[${finding.start},${finding.end}): ${finding.action}`,
  };
}

/** `server/tool`, as the audit trail names an upstream tool. */
function place(row: ExportRow): string {
  return row.server ? `${row.server}/${row.tool}` : row.tool;
}
