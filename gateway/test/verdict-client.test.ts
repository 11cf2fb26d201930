import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contextOf,
  createEvent,
  createInProcessBus,
  topicNames,
  type Bus,
  type Clock,
  type Event,
  type EventContext,
  type EventOf,
} from '../../events/src/index.ts';
import { createVerdictClient, VerdictTimeoutError, type Verdict, type VerdictClient } from '../src/verdict-client.ts';
import { captureLogger } from './support/capture-logger.ts';

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00.000Z') };
type Invocation = EventOf<'invocation.requested'>;

const context: EventContext = {
  trace_id: 'trace-verdict-client',
  gateway: 'gw-test',
  principal: { subject: 'alice', email: 'alice@example.com', groups: ['eng'] },
  portal: 'default',
  server: 'crm',
  tool: 'lookup',
};

function verdictFor(invocation: Invocation, overrides: Partial<Verdict> = {}): EventOf<'verdict.decided'> {
  const { correlation_id, direction, profile, payload } = invocation.body;
  return createEvent(
    'verdict.decided',
    contextOf(invocation),
    { correlation_id, direction, decision: 'allow', profile, findings: [], payload, reason: '', ...overrides },
    clock,
  );
}

describe('verdict client over the in-process bus', () => {
  let bus: Bus;
  let client: VerdictClient | undefined;
  afterEach(async () => {
    await client?.stop();
    await bus?.close();
    client = undefined;
  });

  async function setup(timeoutMs = 2_000) {
    bus = createInProcessBus();
    const topics = topicNames(`test-${randomUUID()}.`);
    const instanceId = `gw-${randomUUID()}`;
    const captured = captureLogger();
    client = createVerdictClient({ bus, topics, instanceId, timeoutMs, clock, logger: captured.logger });
    await client.start();
    return { topics, instanceId, client, logs: captured };
  }

  /** A DLP worker stand-in: records each invocation and answers it as `answer` says (or not at all). */
  async function respond(topic: string, answer: (invocation: Invocation) => Event | undefined) {
    const seen: Invocation[] = [];
    await bus.subscribe({ topic, group: 'fake-dlp' }, async (batch) => {
      for (const { event } of batch) {
        if (event.type !== 'invocation.requested') continue;
        seen.push(event);
        const reply = answer(event);
        if (reply) await bus.publish(event.body.reply_to, reply);
      }
    });
    return seen;
  }

  it('publishes the payload on the invocations topic and resolves with the matching verdict', async () => {
    const { topics, instanceId, client } = await setup();
    const invocations = await respond(topics.invocations, (invocation) =>
      verdictFor(invocation, { decision: 'redact', payload: { q: '[EMAIL]' }, reason: 'dlp:default' }),
    );

    const verdict = await client.requestVerdict(context, { correlationId: 'call-1:arguments', direction: 'arguments', profile: 'default', payload: { q: 'alice@example.com' } });

    expect(verdict).toEqual({
      correlation_id: 'call-1:arguments',
      direction: 'arguments',
      decision: 'redact',
      profile: 'default',
      findings: [],
      payload: { q: '[EMAIL]' },
      reason: 'dlp:default',
    });
    expect(client.replyTopic).toBe(topics.verdictsFor(instanceId));
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({
      type: 'invocation.requested',
      version: 1,
      trace_id: context.trace_id,
      principal: context.principal,
      portal: 'default',
      server: 'crm',
      tool: 'lookup',
      body: { correlation_id: 'call-1:arguments', direction: 'arguments', reply_to: client.replyTopic, profile: 'default', payload: { q: 'alice@example.com' } },
    });
  });

  it('matches concurrent requests to their own verdicts by correlation id', async () => {
    const { topics, client } = await setup();
    await respond(topics.invocations, (invocation) =>
      verdictFor(invocation, { decision: invocation.body.correlation_id === 'b' ? 'block' : 'allow', reason: `for ${invocation.body.correlation_id}` }),
    );

    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map((id) => client.requestVerdict(context, { correlationId: id, direction: 'result', profile: 'default', payload: { id } })),
    );

    expect([a!.reason, b!.reason, c!.reason]).toEqual(['for a', 'for b', 'for c']);
    expect([a!.decision, b!.decision, c!.decision]).toEqual(['allow', 'block', 'allow']);
  });

  it('ignores replies for other correlation ids and other event types', async () => {
    const { topics, client } = await setup();
    await respond(topics.invocations, (invocation) => {
      void bus.publish(invocation.body.reply_to, verdictFor(invocation, { correlation_id: 'someone-else', decision: 'block' }));
      void bus.publish(invocation.body.reply_to, createEvent('tool.call.received', contextOf(invocation), { correlation_id: invocation.body.correlation_id, arguments_bytes: 1 }, clock));
      return verdictFor(invocation, { reason: 'the real one' });
    });

    const verdict = await client.requestVerdict(context, { correlationId: 'mine', direction: 'arguments', profile: 'default', payload: {} });

    expect(verdict).toMatchObject({ correlation_id: 'mine', decision: 'allow', reason: 'the real one' });
  });

  it('rejects with VerdictTimeoutError when nobody answers, and drops a late answer', async () => {
    const { topics, client, logs } = await setup(50);
    const unanswered = await respond(topics.invocations, () => undefined);

    const started = Date.now();
    const failure = await client.requestVerdict(context, { correlationId: 'slow', direction: 'arguments', profile: 'default', payload: {} }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(VerdictTimeoutError);
    expect((failure as VerdictTimeoutError).code).toBe('GH_ERR_VERDICT_TIMEOUT');
    expect((failure as Error).message).toBe('no DLP verdict within 50 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);

    await bus.publish(client.replyTopic, verdictFor(unanswered[0]!));
    expect(await logs.waitFor('verdict for a call no longer waiting')).toMatchObject({ correlation_id: 'slow' });
  });

  it('times out when no DLP worker subscribes to the invocations topic at all', async () => {
    const { client } = await setup(30);

    await expect(client.requestVerdict(context, { correlationId: 'lonely', direction: 'result', profile: 'default', payload: {} })).rejects.toBeInstanceOf(VerdictTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 60));
  });

  it('rejects with the bus error, not a timeout, when the invocation cannot be published', async () => {
    const { client } = await setup(30);
    await bus.close();

    await expect(client.requestVerdict(context, { correlationId: 'closed', direction: 'arguments', profile: 'default', payload: {} })).rejects.toThrow('bus is closed');
    await new Promise((resolve) => setTimeout(resolve, 60));
  });

  it('stop() stops listening for replies', async () => {
    const { topics, client } = await setup(50);
    await respond(topics.invocations, (invocation) => verdictFor(invocation));
    await client.requestVerdict(context, { correlationId: 'before-stop', direction: 'arguments', profile: 'default', payload: {} });

    await client.stop();

    await expect(client.requestVerdict(context, { correlationId: 'after-stop', direction: 'arguments', profile: 'default', payload: {} })).rejects.toBeInstanceOf(VerdictTimeoutError);
  });
});
