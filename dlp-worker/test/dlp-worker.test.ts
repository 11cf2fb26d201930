import { createHmac, randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEvent,
  createInProcessBus,
  topicNames,
  type Bus,
  type Clock,
  type Event,
  type EventOf,
} from '../../events/src/index.ts';
import { createDlpWorker, type PayloadCapture } from '../src/dlp-worker.ts';
import { DlpConfigSchema } from '../src/dlp-config.ts';

const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415 555 2671';
const AWS_KEY = 'AKIAZ7Q3JX4LMN2RTUVW';

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00Z') };
const principal = { subject: 'user-42', email: 'caller@corp.example', groups: ['support'] };
const dlp = DlpConfigSchema.parse({
  profiles: { strict: { detectors: { email: 'block' } }, 'hr-results': { types: { pii: 'redact', national_id: 'redact' }, redaction: 'hash' } },
  policies: [{ server: 'hr', direction: 'result', profile: 'hr-results' }],
  hash_key: { env: 'GATEHOUSE_DLP_HASH_KEY' },
});
const HASH_KEY = 'worker-test-key';

interface Harness {
  bus: Bus;
  topics: ReturnType<typeof topicNames>;
  replyTopic: string;
  replies: Event[];
  audits: Event[];
  request(body: { profile?: string; payload: unknown; server?: string; direction?: 'arguments' | 'result' }): Promise<EventOf<'invocation.requested'>>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHarness(payloadCapture: PayloadCapture): Promise<Harness> {
  const bus = createInProcessBus();
  const topics = topicNames(`test-${randomUUID()}.`);
  const replyTopic = topics.verdictsFor('gw-1');
  const replies: Event[] = [];
  const audits: Event[] = [];
  await bus.subscribe({ topic: replyTopic, group: 'gateway' }, async (batch) => {
    replies.push(...batch.map((d) => d.event));
  });
  await bus.subscribe({ topic: topics.audit, group: 'audit-ingest' }, async (batch) => {
    audits.push(...batch.map((d) => d.event));
  });
  const worker = createDlpWorker({ bus, topics, dlp, hashKey: HASH_KEY, payloadCapture, clock, logger: pino({ level: 'silent' }) });
  await worker.start();
  cleanups.push(async () => {
    await worker.stop();
    await bus.close();
  });
  return {
    bus,
    topics,
    replyTopic,
    replies,
    audits,
    async request({ profile = 'default', payload, server = 'crm', direction = 'arguments' }) {
      const invocation = createEvent(
        'invocation.requested',
        { trace_id: randomUUID(), gateway: 'gw-1', principal, portal: 'support', server, tool: 'update_customer' },
        { correlation_id: randomUUID(), direction, reply_to: replyTopic, profile, payload },
        clock,
      );
      // The in-process bus resolves once the worker has answered and both answers were consumed.
      await bus.publish(topics.invocations, invocation);
      return invocation;
    },
  };
}

function answersTo(harness: Harness, invocation: EventOf<'invocation.requested'>) {
  const byCorrelation = (event: Event) =>
    'correlation_id' in event.body && event.body.correlation_id === invocation.body.correlation_id;
  const replies = harness.replies.filter(byCorrelation);
  const audits = harness.audits.filter(byCorrelation);
  expect(replies).toHaveLength(1);
  expect(audits).toHaveLength(1);
  expect(replies[0]!.type).toBe('verdict.decided');
  expect(audits[0]!.type).toBe('dlp.verdict');
  return { reply: replies[0] as EventOf<'verdict.decided'>, audit: audits[0] as EventOf<'dlp.verdict'> };
}

describe('dlp worker over the in-process bus', () => {
  it('answers a redact verdict on the reply topic and keeps no raw value in the redacted audit event', async () => {
    const harness = await startHarness('redacted');
    const payload = { customer: { card: CARD, ssn: SSN, email: EMAIL, phone: PHONE }, [EMAIL]: 'key too' };
    const invocation = await harness.request({ payload });
    const { reply, audit } = answersTo(harness, invocation);

    expect(reply.body).toMatchObject({
      correlation_id: invocation.body.correlation_id,
      direction: 'arguments',
      decision: 'redact',
      profile: 'default',
      reason: 'dlp profile "default": payment_card, us_ssn',
    });
    // What travels on: redact-action values replaced, audit-action values kept.
    expect(reply.body.payload).toEqual({
      customer: { card: '[REDACTED:payment_card]', ssn: '[REDACTED:us_ssn]', email: EMAIL, phone: PHONE },
      [EMAIL]: 'key too',
    });
    expect(reply.body.findings.map((f) => f.detector).sort()).toEqual(['email', 'email', 'payment_card', 'phone', 'us_ssn']);

    for (const event of [reply, audit]) {
      expect(event).toMatchObject({
        trace_id: invocation.trace_id,
        gateway: 'gw-1',
        principal,
        portal: 'support',
        server: 'crm',
        tool: 'update_customer',
      });
      expect(event.id).not.toBe(invocation.id);
    }

    expect(audit.body).toMatchObject({ decision: 'redact', profile: 'default', payload_capture: 'redacted' });
    expect(audit.body.payload).toEqual({
      customer: {
        card: '[REDACTED:payment_card]',
        ssn: '[REDACTED:us_ssn]',
        email: '[REDACTED:email]',
        phone: '[REDACTED:phone]',
      },
      '[REDACTED:email]': 'key too',
    });
    const auditJson = JSON.stringify(audit);
    for (const value of [CARD, SSN, EMAIL, PHONE]) expect(auditJson).not.toContain(value);
    // Fragments are checked in the payload only: the event's random ids could contain them by chance.
    const payloadJson = JSON.stringify(audit.body.payload);
    for (const fragment of ['4111', '6789', '2671', 'jane']) expect(payloadJson).not.toContain(fragment);
  });

  it('blocks a credential and leaves the payload out of the reply and of the redacted audit event', async () => {
    const harness = await startHarness('redacted');
    const invocation = await harness.request({ payload: { config: `aws_access_key_id=${AWS_KEY}`, note: SSN } });
    const { reply, audit } = answersTo(harness, invocation);
    expect(reply.body).toMatchObject({ decision: 'block', reason: 'dlp profile "default": aws_access_key_id' });
    expect(reply.body).not.toHaveProperty('payload');
    expect(audit.body).toMatchObject({ decision: 'block', payload_capture: 'redacted' });
    expect(audit.body).not.toHaveProperty('payload');
    expect(JSON.stringify([reply, audit])).not.toContain(AWS_KEY);
  });

  it('allows a clean payload without echoing it', async () => {
    const harness = await startHarness('redacted');
    const invocation = await harness.request({ payload: { city: 'Paris' } });
    const { reply, audit } = answersTo(harness, invocation);
    expect(reply.body).toMatchObject({ decision: 'allow', findings: [], reason: 'dlp profile "default": no findings' });
    expect(reply.body).not.toHaveProperty('payload');
    expect(audit.body.payload).toEqual({ city: 'Paris' });
  });

  it('uses the profile the invocation names', async () => {
    const harness = await startHarness('none');
    const invocation = await harness.request({ profile: 'strict', payload: { email: EMAIL, ssn: SSN } });
    const { reply } = answersTo(harness, invocation);
    expect(reply.body).toMatchObject({ decision: 'block', profile: 'strict', reason: 'dlp profile "strict": email' });
    expect(reply.body.findings.map((f) => f.detector)).toEqual(['email']);
  });

  it('picks the profile by policy for the server and direction, and puts keyed hashes on findings', async () => {
    const harness = await startHarness('redacted');
    const payload = { employee: { email: EMAIL, ssn: SSN } };
    const toHr = answersTo(harness, await harness.request({ payload, server: 'hr', direction: 'arguments' })).reply;
    const fromHr = answersTo(harness, await harness.request({ payload, server: 'hr', direction: 'result' })).reply;
    expect(toHr.body).toMatchObject({ profile: 'default', decision: 'redact' });
    expect(fromHr.body).toMatchObject({ profile: 'hr-results', decision: 'redact', reason: 'dlp profile "hr-results": email, us_ssn' });
    const ssnHash = createHmac('sha256', HASH_KEY).update('123456789').digest('hex');
    expect(fromHr.body.findings.find((f) => f.detector === 'us_ssn')?.hash).toBe(ssnHash);
    expect(fromHr.body.payload).toEqual({ employee: { email: expect.stringMatching(/^\[REDACTED:email:[0-9a-f]{12}\]$/), ssn: `[REDACTED:us_ssn:${ssnHash.slice(0, 12)}]` } });
  });

  it('fails closed on a profile the config does not define', async () => {
    const harness = await startHarness('full');
    const invocation = await harness.request({ profile: 'constructor', payload: { city: 'Paris' } });
    const { reply, audit } = answersTo(harness, invocation);
    expect(reply.body).toMatchObject({
      decision: 'block',
      findings: [],
      reason: 'dlp profile "constructor" is not configured; known profiles: credentials, default, financial, health, hr-results, national_ids, pii, strict',
    });
    expect(audit.body.decision).toBe('block');
  });

  it('blocks a payload that cannot be scanned and keeps working', async () => {
    const harness = await startHarness('redacted');
    const cyclic: Record<string, unknown> = { ssn: SSN };
    cyclic['self'] = cyclic;
    const broken = await harness.request({ payload: cyclic });
    expect(answersTo(harness, broken).reply.body).toMatchObject({
      decision: 'block',
      reason: expect.stringContaining('GH_ERR_DLP_PAYLOAD_UNSCANNABLE'),
    });
    const next = await harness.request({ payload: { ssn: SSN } });
    expect(answersTo(harness, next).reply.body.decision).toBe('redact');
  });

  it('captures nothing with capture none and the raw payload only with capture full', async () => {
    const none = await startHarness('none');
    const noneAudit = answersTo(none, await none.request({ payload: { ssn: SSN } })).audit;
    expect(noneAudit.body).toMatchObject({ payload_capture: 'none', decision: 'redact' });
    expect(noneAudit.body).not.toHaveProperty('payload');

    const full = await startHarness('full');
    const fullAudit = answersTo(full, await full.request({ payload: { ssn: SSN } })).audit;
    expect(fullAudit.body).toMatchObject({ payload_capture: 'full', payload: { ssn: SSN } });
  });

  it('answers every invocation of a batch published at once, and ignores other event types', async () => {
    const harness = await startHarness('none');
    const other = createEvent(
      'tool.call.received',
      { trace_id: randomUUID(), gateway: 'gw-1', principal },
      { correlation_id: randomUUID(), arguments_bytes: 10 },
      clock,
    );
    const payloads = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { ssn: SSN, i } : { city: 'Paris', i }));
    const [, ...invocations] = await Promise.all([
      harness.bus.publish(harness.topics.invocations, other),
      ...payloads.map((payload) => harness.request({ payload })),
    ]);
    expect(harness.replies).toHaveLength(20);
    expect(harness.audits).toHaveLength(20);
    invocations.forEach((invocation, i) => {
      expect(answersTo(harness, invocation!).reply.body.decision).toBe(i % 2 === 0 ? 'redact' : 'allow');
    });
  });

  it('refuses to start twice and stops taking invocations after stop', async () => {
    const bus = createInProcessBus();
    const topics = topicNames(`test-${randomUUID()}.`);
    const worker = createDlpWorker({ bus, topics, dlp, hashKey: HASH_KEY, payloadCapture: 'none', clock, logger: pino({ level: 'silent' }) });
    cleanups.push(() => bus.close());
    await worker.start();
    await expect(worker.start()).rejects.toMatchObject({ code: 'GH_ERR_DLP_WORKER_ALREADY_STARTED' });
    await worker.stop();

    const replies: Event[] = [];
    await bus.subscribe({ topic: 'replies', group: 'gateway' }, async (batch) => {
      replies.push(...batch.map((d) => d.event));
    });
    const invocation = createEvent(
      'invocation.requested',
      { trace_id: randomUUID(), gateway: 'gw-1', principal },
      { correlation_id: randomUUID(), direction: 'result', reply_to: 'replies', profile: 'default', payload: 'x' },
      clock,
    );
    await bus.publish(topics.invocations, invocation);
    expect(replies).toEqual([]);
  });

  it('refuses to be created without the hash key its config needs', () => {
    const bus = createInProcessBus();
    cleanups.push(() => bus.close());
    expect(() => createDlpWorker({ bus, topics: topicNames('x.'), dlp, payloadCapture: 'none', clock, logger: pino({ level: 'silent' }) })).toThrow(
      expect.objectContaining({ code: 'GH_ERR_DLP_HASH_KEY_MISSING' }),
    );
  });
});
