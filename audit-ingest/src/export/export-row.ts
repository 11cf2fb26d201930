import { z } from 'zod';
import { FindingSchema } from '../../../events/src/index.ts';
import type { ReadOnlyQueryResult } from '../read-only-query.ts';
import { ExportError } from './export-errors.ts';

/**
 * The columns of `audit_events` an export reads, as SQL. Times come as epoch milliseconds and ids
 * and offsets as strings, so the rows parse the same from chDB and from a ClickHouse server, and
 * through `runReadOnlyQuery` (which quotes 64-bit integers).
 */
export const EXPORT_COLUMNS_SQL = `toString(event_id) AS event_id, toUnixTimestamp64Milli(time) AS time_ms, type, trace_id, gateway,
  principal_subject, principal_email, principal_groups, portal, server, tool, decision, correlation_id, body,
  kafka_topic, kafka_partition, toString(kafka_offset) AS kafka_offset, toUnixTimestamp64Milli(ingested_at) AS ingested_at_ms`;

/**
 * The body fields an export may carry. Anything else in a stored body — above all `payload`, the
 * captured (redacted or, by configuration, raw) tool arguments or result — is dropped here, so no
 * format can leak it. Findings keep detector, type, path, offsets, confidence and action: never a value.
 */
const text = z.string().optional().catch(undefined);
const amount = z.number().optional().catch(undefined);
const ExportBodySchema = z.object({
  reason: text,
  detail: text,
  rule: text,
  outcome: text,
  direction: text,
  profile: text,
  latency_ms: amount,
  scan_ms: amount,
  arguments_bytes: amount,
  findings: z.array(FindingSchema).optional().catch(undefined),
});
export type ExportBody = z.infer<typeof ExportBodySchema>;

const millis = z.coerce.number().int();

export const ExportRowSchema = z.object({
  event_id: z.string(),
  time_ms: millis,
  type: z.string(),
  trace_id: z.string(),
  gateway: z.string(),
  principal_subject: z.string(),
  principal_email: z.string(),
  principal_groups: z.array(z.string()),
  portal: z.string(),
  server: z.string(),
  tool: z.string(),
  decision: z.string(),
  correlation_id: z.string(),
  body: z.string().transform(parseBody),
  kafka_topic: z.string(),
  kafka_partition: z.coerce.number().int(),
  kafka_offset: z.string(),
  ingested_at_ms: millis,
});
/** One stored audit event, reduced to what may leave the audit store. */
export type ExportRow = z.infer<typeof ExportRowSchema>;

/** Rows of a read-only query that selected EXPORT_COLUMNS_SQL. */
export function parseExportRows(result: ReadOnlyQueryResult): ExportRow[] {
  const names = result.columns.map((column) => column.name);
  return result.rows.map((values) => {
    const parsed = ExportRowSchema.safeParse(Object.fromEntries(names.map((name, i) => [name, values[i]])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ExportError('GH_ERR_EXPORT_ROW_INVALID', `an audit row cannot be exported: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return parsed.data;
  });
}

/** A body that is not a JSON object exports as the envelope alone rather than stopping the export; a field of an unexpected type is left out. */
function parseBody(text: string): ExportBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = ExportBodySchema.safeParse(json);
  return parsed.success ? parsed.data : {};
}
