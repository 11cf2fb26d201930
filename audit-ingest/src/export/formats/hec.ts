import type { ExportRecord } from '../export-record.ts';
import { toOcsf } from './ocsf.ts';

export interface HecContext {
  productVersion: string;
  /** Splunk `sourcetype`; the default names OCSF so Splunk's OCSF add-ons map it. */
  sourcetype?: string;
  source?: string;
  /** Splunk index; the token's default index when absent. */
  index?: string;
}

/**
 * One record as a Splunk HTTP Event Collector event (`/services/collector/event`): the OCSF event
 * as `event`, `time` in epoch seconds with milliseconds, `host` the gateway instance, and the
 * fields a search filters on as indexed `fields`.
 */
export function toHec(record: ExportRecord, context: HecContext): Record<string, unknown> {
  const { row } = record;
  return {
    time: row.time_ms / 1000,
    host: row.gateway || 'gatehouse',
    source: context.source ?? 'gatehouse',
    sourcetype: context.sourcetype ?? 'gatehouse:ocsf',
    ...(context.index ? { index: context.index } : {}),
    event: toOcsf(record, context),
    fields: { event_type: row.type, portal: row.portal, server: row.server, tool: row.tool, decision: row.decision, trace_id: row.trace_id },
  };
}
