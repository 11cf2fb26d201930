import type { ClickHouseClient } from '@clickhouse/client';
import type { Event } from '../../../events/src/index.ts';
import { insertAuditRows, toAuditEventRow } from '../../src/index.ts';
import { ExportRowSchema, type ExportRow } from '../../src/export/index.ts';

/** A value that must never appear in any export: it sits in a captured payload. */
export const PAYLOAD_SECRET = 'AKIAIOSFODNN7EXAMPLE-in-a-captured-payload';

/** `event` as the exporter reads it back from audit_events. */
export function exportRowOf(event: Event, place: { ingestedAtMs?: number; partition?: number; offset?: number } = {}): ExportRow {
  const row = toAuditEventRow({ event, partition: place.partition ?? 0, offset: String(place.offset ?? 0) }, 'gatehouse.audit');
  return ExportRowSchema.parse({
    ...row,
    time_ms: Date.parse(event.time),
    ingested_at_ms: place.ingestedAtMs ?? Date.parse(event.time) + 5,
  });
}

/** Stores events as audit-ingest would (one insert, offsets from `firstOffset`). */
export async function storeEvents(connection: ClickHouseClient, events: Event[], firstOffset = 0, topic = 'gatehouse.audit'): Promise<void> {
  const rows = events.map((event, index) => toAuditEventRow({ event, partition: 0, offset: String(firstOffset + index) }, topic));
  await insertAuditRows(connection, 'audit_events', rows, `test/${events[0]?.id ?? 'empty'}/${events.length}`);
}
