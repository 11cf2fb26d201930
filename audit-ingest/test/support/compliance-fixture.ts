import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { createEvent, type Event, type EventContext } from '../../../events/src/index.ts';
import { createAuditBatchWriter } from '../../src/index.ts';
import { delivered, fixedClock, uniqueContext } from './audit-events.ts';

export const FIXTURE_FROM = '2026-03-14T00:00:00Z';
export const FIXTURE_TO = '2026-03-15T00:00:00Z';

/** One call's events as the gateway and a DLP worker report them; `omit` leaves some out. */
function call(person: EventContext, at: string, outcome: 'allowed' | 'redacted' | 'blocked' | 'refused', omit: Array<'verdict' | 'outcome'> = []): Event[] {
  const context = { ...person, trace_id: `trace-${randomUUID()}` };
  const clock = fixedClock(at);
  const id = randomUUID();
  const decision = outcome === 'blocked' ? 'block' : outcome === 'redacted' ? 'redact' : 'allow';
  const findings = decision === 'allow' ? [] : [{ detector: 'us_ssn', type: 'national_id', path: '$.ssn', start: 0, end: 11, confidence: 1, action: decision as 'block' | 'redact' }];
  return [
    createEvent('tool.call.received', context, { correlation_id: id, arguments_bytes: 10 }, clock),
    ...(outcome === 'refused' || omit.includes('verdict')
      ? []
      : [createEvent('dlp.verdict', context, { correlation_id: `${id}:arguments`, direction: 'arguments', decision, profile: 'strict', findings, payload_capture: 'none', scan_ms: 1 }, clock)]),
    ...(omit.includes('outcome') ? [] : [createEvent('tool.call.completed', context, { correlation_id: id, outcome, reason: '', latency_ms: 3 }, clock)]),
  ];
}

export interface ComplianceFixture {
  alice: EventContext;
  bob: EventContext;
  mallory: EventContext;
  /** The trace of alice's redacted call. */
  traceId: string;
  /** The call whose outcome was never recorded. */
  unfinishedCallTrace: string;
  topic: string;
}

/** A small day of traffic on 2026-03-14 from three people and two gateways, stored through the real writer. */
export async function storeComplianceFixture(connection: ClickHouseClient): Promise<ComplianceFixture> {
  const alice = uniqueContext({ server: 'customer-db', tool: 'lookup_customer', gateway: 'gw-a' });
  const bob = uniqueContext({ server: 'tickets', tool: 'create_ticket', gateway: 'gw-b' });
  const mallory = uniqueContext({ server: '', tool: '', gateway: 'gw-a' });
  const redacted = call(alice, '2026-03-14T09:00:00Z', 'redacted');
  const unfinished = call(bob, '2026-03-14T10:00:00Z', 'allowed', ['outcome']);
  const events = [
    ...call(alice, '2026-03-14T08:00:00Z', 'allowed'),
    ...redacted,
    ...call(alice, '2026-03-14T09:30:00Z', 'blocked'),
    ...call(bob, '2026-03-14T09:45:00Z', 'refused'),
    ...unfinished,
    createEvent('access.denied', mallory, { reason: 'invalid_token', detail: '' }, fixedClock('2026-03-14T11:00:00Z')),
    createEvent('access.denied', mallory, { reason: 'unknown_tool', detail: '' }, fixedClock('2026-03-14T11:05:00Z')),
    ...call(bob, '2026-03-14T20:00:00Z', 'allowed'),
  ];
  const topic = `test.compliance.${randomUUID()}`;
  const writer = createAuditBatchWriter({ connection, logger: pino({ level: 'silent' }) });
  await writer.write(topic, delivered(events));
  return { alice, bob, mallory, traceId: redacted[0]!.trace_id, unfinishedCallTrace: unfinished[0]!.trace_id, topic };
}
