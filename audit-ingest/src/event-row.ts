import type { DeliveredEvent, Event } from '../../events/src/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { clickHouseTime } from './event-time.ts';

/**
 * The event's part of one `audit_events` row as sent in JSONEachRow, in the text forms ClickHouse
 * also returns (64-bit integers quoted), so a row read back hashes like the row inserted.
 * `ingested_at` is left to its DEFAULT.
 */
export interface AuditEventRow {
  event_id: string;
  /** `YYYY-MM-DD hh:mm:ss.sss` in UTC, the text form DateTime64(3, 'UTC') parses on every server setting. */
  time: string;
  type: string;
  version: number;
  trace_id: string;
  gateway: string;
  principal_subject: string;
  principal_email: string;
  principal_groups: string[];
  portal: string;
  server: string;
  tool: string;
  decision: string;
  correlation_id: string;
  /** The auditable body as canonical JSON (RFC 8785): the very text the row's leaf hash covers. */
  body: string;
  kafka_topic: string;
  kafka_partition: number;
  /** Decimal string: Kafka offsets exceed 2^53, and JSONEachRow reads UInt64 from a string. */
  kafka_offset: string;
}

export function toAuditEventRow(delivered: DeliveredEvent, topic: string): AuditEventRow {
  const { event } = delivered;
  return {
    // ClickHouse returns UUIDs in lower case; the hashed row must read back the same.
    event_id: event.id.toLowerCase(),
    time: clickHouseTime(event.time),
    type: event.type,
    version: event.version,
    trace_id: event.trace_id,
    gateway: event.gateway,
    principal_subject: event.principal.subject,
    principal_email: event.principal.email,
    principal_groups: event.principal.groups,
    portal: event.portal,
    server: event.server,
    tool: event.tool,
    decision: decisionOf(event),
    correlation_id: 'correlation_id' in event.body ? event.body.correlation_id : '',
    body: canonicalJson(auditableBody(event)),
    kafka_topic: topic,
    kafka_partition: delivered.partition,
    kafka_offset: delivered.offset,
  };
}

/** A row with its place in its partition's hash chain. */
export interface ChainedAuditEventRow extends AuditEventRow {
  seq: number;
  leaf_hash: string;
  chain_hash: string;
}

/** The one word a compliance query filters on: the verdict, how a call ended, or a denial. */
export function decisionOf(event: Event): string {
  switch (event.type) {
    case 'dlp.verdict':
    case 'verdict.decided':
      return event.body.decision;
    case 'tool.call.completed':
      return event.body.outcome;
    case 'access.denied':
      return 'deny';
    default:
      return '';
  }
}

/**
 * Audit events arrive sanitized. An invocation request, which carries the raw payload awaiting a
 * verdict, belongs on the invocations topic only; should one reach the audit topic its payload is
 * dropped so raw values never reach the store.
 */
export function auditableBody(event: Event): unknown {
  if (event.type !== 'invocation.requested') return event.body;
  const { payload: _payload, ...rest } = event.body;
  return rest;
}
