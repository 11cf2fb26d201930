import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { createAuditIngest, signerFromKeyFile } from '../../../audit-ingest/src/index.ts';
import { createEvent, createInProcessBus, topicNames, type Clock, type EventContext, type Finding } from '../../../events/src/index.ts';

const alice = { subject: 'alice', email: 'alice@example.com', groups: ['eng'] };
const bob = { subject: 'bob', email: 'bob@example.com', groups: ['support'] };
const card: Finding = { detector: 'payment_card', type: 'pci', path: '$.card', start: 0, end: 19, confidence: 1, action: 'redact' };
const awsKey: Finding = { detector: 'aws_access_key_id', type: 'secret', path: '$.note', start: 4, end: 24, confidence: 0.9, action: 'block' };
const email: Finding = { detector: 'email', type: 'pii', path: '$.contact', start: 0, end: 17, confidence: 1, action: 'audit' };

/**
 * Writes a small, varied audit trail through the real ingest path (in-process bus → audit-ingest
 * → the store, with signed checkpoints): calls of every outcome, verdicts with findings, sign-ins,
 * denials with and without a rule, and a changed tool definition. Events are stamped a few
 * minutes apart, ending at `endMs`.
 */
export async function seedAuditTrail(connection: ClickHouseClient, endMs: number): Promise<{ events: number }> {
  let now = endMs - 40 * 60_000;
  const clock: Clock = { now: () => now };
  const topics = topicNames(`gatehouse-dashboards-${process.pid}.`);
  const bus = createInProcessBus();
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'gatehouse-dashboards-key-')), 'signing-key.pem');
  const ingest = createAuditIngest({
    bus,
    topics,
    connection,
    logger: pino({ level: 'silent' }),
    checkpoints: { signer: signerFromKeyFile(keyFile, true), everyEvents: 5, intervalMs: 60_000 },
  });
  await ingest.start();
  let events = 0;
  const publish = async (event: Parameters<typeof bus.publish>[1]) => {
    await bus.publish(topics.audit, event);
    events += 1;
    now += 60_000;
  };

  const calls: Array<{ who: typeof alice; portal: string; server: string; tool: string; outcome: 'allowed' | 'redacted' | 'blocked' | 'refused' | 'upstream_error'; findings: Finding[] }> = [
    { who: alice, portal: 'main', server: 'crm', tool: 'get_customer', outcome: 'redacted', findings: [card, email] },
    { who: alice, portal: 'main', server: 'crm', tool: 'search_customers', outcome: 'allowed', findings: [email] },
    { who: bob, portal: 'main', server: 'crm', tool: 'get_customer', outcome: 'blocked', findings: [awsKey] },
    { who: bob, portal: 'support', server: 'tickets', tool: 'create_ticket', outcome: 'refused', findings: [] },
    { who: alice, portal: 'support', server: 'tickets', tool: 'create_ticket', outcome: 'upstream_error', findings: [] },
    { who: bob, portal: 'support', server: 'tickets', tool: 'list_tickets', outcome: 'allowed', findings: [] },
  ];
  for (const [index, call] of calls.entries()) {
    const context: EventContext = { trace_id: `${String(index).padStart(2, '0')}${'a'.repeat(30)}`, gateway: 'gw-1', principal: call.who, portal: call.portal, server: call.server, tool: call.tool };
    const callId = `call-${index}`;
    await publish(createEvent('auth.signed_in', context, { method: index % 2 === 0 ? 'oidc' : 'api_key' }, clock));
    await publish(createEvent('tool.call.received', context, { correlation_id: callId, arguments_bytes: 40 + index }, clock));
    const decision = call.outcome === 'blocked' ? 'block' : call.outcome === 'redacted' ? 'redact' : 'allow';
    if (call.outcome !== 'refused') {
      for (const direction of ['arguments', 'result'] as const) {
        await publish(
          createEvent(
            'dlp.verdict',
            context,
            { correlation_id: `${callId}:${direction}`, direction, decision, profile: 'default', findings: call.findings, payload_capture: 'redacted', scan_ms: 1.5 + index },
            clock,
          ),
        );
        if (decision === 'block') break;
      }
    }
    await publish(createEvent('tool.call.completed', context, { correlation_id: callId, outcome: call.outcome, reason: call.outcome === 'allowed' ? '' : `dlp:default`, latency_ms: 12 + index * 7 }, clock));
  }
  const anonymous = { subject: 'anonymous', email: '', groups: [] };
  await publish(createEvent('access.denied', { trace_id: 'b'.repeat(32), gateway: 'gw-1', principal: anonymous, portal: 'main' }, { reason: 'invalid_token', detail: 'unknown token' }, clock));
  await publish(
    createEvent(
      'access.denied',
      { trace_id: 'c'.repeat(32), gateway: 'gw-1', principal: bob, portal: 'main', tool: 'crm__delete_customer' },
      { reason: 'unknown_tool', detail: 'the tool is hidden from this caller', rule: 'portals[main].servers[crm].tools.read_only' },
      clock,
    ),
  );
  await publish(
    createEvent(
      'tool.definition.changed',
      { trace_id: 'd'.repeat(32), gateway: 'gw-1', principal: anonymous, portal: 'main', server: 'crm', tool: 'get_customer' },
      { approved_fingerprint: 'f'.repeat(64), new_fingerprint: 'e'.repeat(64), summary: ['description changed', 'input property "to" added'], action: 'withheld' },
      clock,
    ),
  );
  await ingest.stop();
  await bus.close();
  return { events };
}
