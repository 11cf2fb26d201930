import { describe, expect, it } from 'vitest';
import { createEvent } from '../../events/src/index.ts';
import { toAuditEventRow } from '../src/index.ts';
import { fixedClock, uniqueContext } from './support/audit-events.ts';

describe('toAuditEventRow', () => {
  const clock = fixedClock('2026-03-14T10:26:53.589+01:00');

  it('maps the envelope, the delivery position and the decision of a DLP verdict', () => {
    const context = uniqueContext();
    const event = createEvent(
      'dlp.verdict',
      context,
      { correlation_id: 'c-1', direction: 'result', decision: 'block', profile: 'strict', findings: [], payload_capture: 'none', scan_ms: 2 },
      clock,
    );

    const row = toAuditEventRow({ event, partition: 3, offset: '9007199254740993' }, 'gatehouse.audit');

    expect(row).toEqual({
      event_id: event.id,
      time: '2026-03-14 09:26:53.589',
      type: 'dlp.verdict',
      version: 1,
      trace_id: context.trace_id,
      gateway: 'gw-test',
      principal_subject: context.principal.subject,
      principal_email: context.principal.email,
      principal_groups: ['support', 'eng'],
      portal: 'default',
      server: 'customer-db',
      tool: 'lookup_customer',
      decision: 'block',
      correlation_id: 'c-1',
      body: '{"correlation_id":"c-1","decision":"block","direction":"result","findings":[],"payload_capture":"none","profile":"strict","scan_ms":2}',
      kafka_topic: 'gatehouse.audit',
      kafka_partition: 3,
      kafka_offset: '9007199254740993',
    });
  });

  it.each([
    [createEvent('tool.call.completed', uniqueContext(), { correlation_id: 'c', outcome: 'upstream_error', reason: '', latency_ms: 1 }, fixedClock()), 'upstream_error'],
    [createEvent('access.denied', uniqueContext(), { reason: 'unknown_tool', detail: '' }, fixedClock()), 'deny'],
    [createEvent('tool.call.received', uniqueContext(), { correlation_id: 'c', arguments_bytes: 1 }, fixedClock()), ''],
  ])('sets decision of %o', (event, decision) => {
    expect(toAuditEventRow({ event, partition: 0, offset: '0' }, 't').decision).toBe(decision);
  });

  it('never stores the raw payload of an invocation request that strayed onto the audit topic', () => {
    const event = createEvent(
      'invocation.requested',
      uniqueContext(),
      { correlation_id: 'c', direction: 'arguments', reply_to: 'r', profile: 'default', payload: { ssn: '078-05-1120' } },
      fixedClock(),
    );

    const row = toAuditEventRow({ event, partition: 0, offset: '0' }, 't');

    expect(row.body).not.toContain('078-05-1120');
    expect(JSON.parse(row.body)).toEqual({ correlation_id: 'c', direction: 'arguments', reply_to: 'r', profile: 'default' });
  });
});
