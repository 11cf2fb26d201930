import type { ExportRecord, ExportSeverity } from '../export-record.ts';

export interface CefContext {
  productVersion: string;
}

/** CEF severity 0–10: 0–3 Low, 4–6 Medium, 7–8 High, 9–10 Very-High. */
const SEVERITY: Record<ExportSeverity, number> = { informational: 1, low: 3, medium: 5, high: 8 };

/**
 * One record as a CEF line (ArcSight Common Event Format, version 0):
 * `CEF:0|Vendor|Product|Version|Signature ID|Name|Severity|Extension`. Custom fields use the
 * cs<n>/cn<n>/flexString<n> keys with their Label companions, which every CEF consumer keeps.
 */
export function toCef(record: ExportRecord, context: CefContext): string {
  const { row } = record;
  const signature = record.kind === 'finding' ? `dlp.finding.${record.finding.detector}` : row.type;
  const name = record.kind === 'finding' ? `DLP ${record.finding.action}: ${record.finding.detector}` : `${row.type} ${row.decision}`.trim();
  const extension: Array<[string, string | number | undefined]> = [
    ['rt', row.time_ms],
    ['externalId', record.uid],
    ['cat', row.type],
    ['act', record.kind === 'finding' ? record.finding.action : row.decision || undefined],
    ['outcome', record.status],
    ['reason', row.body.reason || undefined],
    ['msg', record.summary],
    ['suser', row.principal_subject],
    ['dvchost', row.gateway],
    ['destinationServiceName', row.server || undefined],
    ['cs1Label', 'principalEmail'],
    ['cs1', row.principal_email || undefined],
    ['cs2Label', 'principalGroups'],
    ['cs2', row.principal_groups.join(',') || undefined],
    ['cs3Label', 'portal'],
    ['cs3', row.portal || undefined],
    ['cs4Label', 'traceId'],
    ['cs4', row.trace_id],
    ['cs5Label', 'correlationId'],
    ['cs5', row.correlation_id || undefined],
    ['flexString1Label', 'tool'],
    ['flexString1', row.tool || undefined],
    ...findingFields(record),
    ['cn1Label', 'latencyMs'],
    ['cn1', row.body.latency_ms === undefined ? undefined : Math.round(row.body.latency_ms)],
  ];
  const header = ['CEF:0', 'Gatehouse', 'Gatehouse', context.productVersion, signature, name, String(SEVERITY[record.severity])].map((field, i) =>
    i === 0 ? field : escapeHeader(field),
  );
  const pairs = withoutEmptyLabels(extension).map(([key, value]) => `${key}=${escapeExtension(String(value))}`);
  return `${header.join('|')}|${pairs.join(' ')}`;
}

function findingFields(record: ExportRecord): Array<[string, string | number | undefined]> {
  if (record.kind !== 'finding') return [];
  const { finding } = record;
  return [
    ['cs6Label', 'findingLocation'],
    ['cs6', `${finding.path}[${finding.start},${finding.end})`],
    ['flexString2Label', 'findingType'],
    ['flexString2', finding.type],
    ['cn2Label', 'confidencePercent'],
    ['cn2', Math.round(finding.confidence * 100)],
  ];
}

/** Drops absent values, and the label of each absent custom field. */
function withoutEmptyLabels(pairs: Array<[string, string | number | undefined]>): Array<[string, string | number]> {
  const present = new Set(pairs.filter(([, value]) => value !== undefined).map(([key]) => key));
  return pairs.filter((pair): pair is [string, string | number] => {
    const [key, value] = pair;
    if (value === undefined) return false;
    return !key.endsWith('Label') || present.has(key.slice(0, -'Label'.length));
  });
}

/** Header fields: backslash and pipe are escaped; a line break would end the record, so it becomes a space. */
export function escapeHeader(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** Extension values: backslash and equals sign are escaped, line breaks written as \n and \r. */
export function escapeExtension(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}
