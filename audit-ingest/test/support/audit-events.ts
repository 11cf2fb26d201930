import { randomUUID } from 'node:crypto';
import { createEvent, type Clock, type DeliveredEvent, type Event, type EventContext } from '../../../events/src/index.ts';

export const fixedClock = (iso = '2026-03-14T09:26:53.589Z'): Clock => ({ now: () => Date.parse(iso) });

/** An envelope unique to one test: its trace id finds exactly the rows that test wrote. */
export function uniqueContext(overrides: Partial<EventContext> = {}): EventContext {
  const id = randomUUID();
  return {
    trace_id: `trace-${id}`,
    gateway: 'gw-test',
    principal: { subject: `user-${id}`, email: `${id}@example.test`, groups: ['support', 'eng'] },
    portal: 'default',
    server: 'customer-db',
    tool: 'lookup_customer',
    ...overrides,
  };
}

/** A tool call as the gateway would report it: received, verdict, completed. */
export function toolCallEvents(context: EventContext, clock: Clock = fixedClock()): Event[] {
  const correlation_id = `corr-${randomUUID()}`;
  return [
    createEvent('tool.call.received', context, { correlation_id, arguments_bytes: 42 }, clock),
    createEvent(
      'dlp.verdict',
      context,
      {
        correlation_id,
        direction: 'arguments',
        decision: 'redact',
        profile: 'default',
        findings: [{ detector: 'email', type: 'pii', path: '$.email', start: 0, end: 12, confidence: 0.9, action: 'redact' }],
        payload_capture: 'redacted',
        payload: { email: '[REDACTED:email]' },
        scan_ms: 1.5,
      },
      clock,
    ),
    createEvent('tool.call.completed', context, { correlation_id, outcome: 'redacted', reason: 'dlp:default', latency_ms: 12 }, clock),
  ];
}

export function delivered(events: Event[], firstOffset = 0, partition = 0): DeliveredEvent[] {
  return events.map((event, index) => ({ event, partition, offset: String(firstOffset + index) }));
}
