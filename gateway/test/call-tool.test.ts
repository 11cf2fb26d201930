import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/server';
import {
  contextOf,
  createEvent,
  createInProcessBus,
  topicNames,
  type Bus,
  type Clock,
  type Event,
  type EventOf,
  type Principal,
} from '../../events/src/index.ts';
import { createToolCallPipeline } from '../src/call-tool.ts';
import type { CatalogEntry } from '../src/tool-catalog.ts';
import { UpstreamError, type UpstreamConnection } from '../src/upstream/index.ts';
import { createVerdictClient, type Verdict, type VerdictClient } from '../src/verdict-client.ts';
import { captureLogger } from './support/capture-logger.ts';
import { noPromptsOrResources } from './support/no-prompts-or-resources.ts';
import { completedResult } from './support/completed-result.ts';

type Invocation = EventOf<'invocation.requested'>;
/** What the fake DLP worker answers for one invocation; `undefined` means it never answers. */
type Decide = (invocation: Invocation) => Partial<Verdict> | undefined;

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00.000Z') };
const alice: Principal = { subject: 'alice', email: 'alice@example.com', groups: ['eng'] };
const CARD = '4111 1111 1111 1111';
const finding = { detector: 'credit_card', type: 'pci', path: '$.note', start: 0, end: 19, confidence: 1, action: 'block' as const };

/** An upstream that records each call and answers with `answer` (or throws it). */
function fakeUpstream(answer: (args: Record<string, unknown>) => CallToolResult) {
  const calls: Array<{ name: string; args: Record<string, unknown>; timeoutMs: number | undefined }> = [];
  const connection: UpstreamConnection = {
    name: 'crm',
    ...noPromptsOrResources,
    async listTools() {
      return [];
    },
    async callTool(name, args, options) {
      calls.push({ name, args, timeoutMs: options?.timeoutMs });
      return answer(args);
    },
    onToolsChanged() {},
    async close() {},
  };
  const entry: CatalogEntry = {
    server: 'crm',
    upstreamName: 'lookup',
    upstream: connection,
    definition: { name: 'crm__lookup', inputSchema: { type: 'object' } },
  };
  return { calls, entry };
}

const echo = (args: Record<string, unknown>): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(args) }] });

describe('tools/call pipeline with the verdict client over the in-process bus', () => {
  let bus: Bus | undefined;
  let verdicts: VerdictClient | undefined;
  afterEach(async () => {
    await verdicts?.stop();
    await bus?.close();
    bus = undefined;
    verdicts = undefined;
  });

  async function setup(decide: Decide, verdictTimeoutMs = 2_000) {
    bus = createInProcessBus();
    const activeBus = bus;
    const topics = topicNames(`test-${randomUUID()}.`);
    const instanceId = `gw-${randomUUID()}`;
    const captured = captureLogger();
    /** Set to make the gateway's publishes of one event type fail, as when the broker or the store is unreachable. */
    const faults = { invocationPublish: undefined as Error | undefined, receivedPublish: undefined as Error | undefined };
    const gatewayBus: Bus = {
      ...bus,
      async publish(topic, event) {
        if (faults.invocationPublish && event.type === 'invocation.requested') throw faults.invocationPublish;
        if (faults.receivedPublish && event.type === 'tool.call.received') throw faults.receivedPublish;
        return activeBus.publish(topic, event);
      },
    };
    verdicts = createVerdictClient({ bus: gatewayBus, topics, instanceId, timeoutMs: verdictTimeoutMs, clock, logger: captured.logger });
    await verdicts.start();

    const invocations: Invocation[] = [];
    await bus.subscribe({ topic: topics.invocations, group: 'fake-dlp' }, async (batch) => {
      for (const { event } of batch) {
        if (event.type !== 'invocation.requested') continue;
        invocations.push(event);
        const decision = decide(event);
        if (!decision) continue;
        const { correlation_id, direction, profile, payload } = event.body;
        await activeBus.publish(
          event.body.reply_to,
          createEvent('verdict.decided', contextOf(event), { correlation_id, direction, decision: 'allow', profile, findings: [], payload, reason: '', ...decision }, clock),
        );
      }
    });
    const audit: Event[] = [];
    await bus.subscribe({ topic: topics.audit, group: 'audit-recorder' }, async (batch) => void audit.push(...batch.map((delivered) => delivered.event)));

    const pipeline = createToolCallPipeline({ bus: gatewayBus, topics, verdicts, instanceId, clock, logger: captured.logger, upstreamTimeoutMs: 1_234 });
    const callTool = async (call: Parameters<typeof pipeline>[0]) => completedResult(await pipeline(call));
    return { callTool, pipeline, invocations, audit, instanceId, faults, logs: captured };
  }

  const request = (entry: CatalogEntry, args: Record<string, unknown>) => ({ principal: alice, portal: 'sales', profile: 'strict', entry, arguments: args, traceId: 'trace-call-tool' });

  function completed(audit: Event[]): EventOf<'tool.call.completed'> {
    const events = audit.filter((event): event is EventOf<'tool.call.completed'> => event.type === 'tool.call.completed');
    expect(events).toHaveLength(1);
    return events[0]!;
  }

  it('allow: forwards the original arguments and returns the upstream result unchanged', async () => {
    const { callTool, invocations, audit } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(echo);

    const result = await callTool(request(upstream.entry, { customer: 'ACME-42' }));

    expect(upstream.calls).toEqual([{ name: 'lookup', args: { customer: 'ACME-42' }, timeoutMs: 1_234 }]);
    expect(result).toEqual(echo({ customer: 'ACME-42' }));
    expect(invocations.map((invocation) => [invocation.body.direction, invocation.body.profile, invocation.body.payload])).toEqual([
      ['arguments', 'strict', { customer: 'ACME-42' }],
      ['result', 'strict', echo({ customer: 'ACME-42' })],
    ]);
    expect(completed(audit).body).toMatchObject({ outcome: 'allowed', reason: '' });
  });

  it('publishes tool.call.received then tool.call.completed on the audit topic, about the right call', async () => {
    const { callTool, audit, instanceId } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(echo);

    await callTool(request(upstream.entry, { customer: 'ACME-42' }));

    expect(audit.map((event) => event.type)).toEqual(['tool.call.received', 'tool.call.completed']);
    for (const event of audit) {
      expect(event).toMatchObject({ principal: alice, portal: 'sales', server: 'crm', tool: 'lookup', gateway: instanceId, trace_id: 'trace-call-tool' });
    }
    const [received, done] = audit as [EventOf<'tool.call.received'>, EventOf<'tool.call.completed'>];
    expect(received.body.arguments_bytes).toBe(Buffer.byteLength(JSON.stringify({ customer: 'ACME-42' })));
    expect(done.body.correlation_id).toBe(received.body.correlation_id);
    expect(done.body.latency_ms).toBe(0);
  });

  it('asks for the two verdicts with correlation ids <call>:arguments and <call>:result', async () => {
    const { callTool, invocations, audit } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(echo);

    await callTool(request(upstream.entry, {}));

    const callId = completed(audit).body.correlation_id;
    expect(invocations.map((invocation) => invocation.body.correlation_id)).toEqual([`${callId}:arguments`, `${callId}:result`]);
    expect(invocations.every((invocation) => invocation.principal.subject === 'alice' && invocation.tool === 'lookup')).toBe(true);
  });

  it('gives each call its own correlation id', async () => {
    const { callTool, audit } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(echo);

    await Promise.all([callTool(request(upstream.entry, { n: 1 })), callTool(request(upstream.entry, { n: 2 }))]);

    const ids = audit.filter((event) => event.type === 'tool.call.completed').map((event) => (event as EventOf<'tool.call.completed'>).body.correlation_id);
    expect(new Set(ids).size).toBe(2);
  });

  it('redact: forwards the redacted arguments and returns the redacted result', async () => {
    const redactedResult: CallToolResult = { content: [{ type: 'text', text: 'customer [EMAIL]' }] };
    const { callTool, audit } = await setup((invocation) =>
      invocation.body.direction === 'arguments'
        ? { decision: 'redact', payload: { note: '[CARD]' }, findings: [{ ...finding, action: 'redact' }] }
        : { decision: 'redact', payload: redactedResult },
    );
    const upstream = fakeUpstream(() => ({ content: [{ type: 'text', text: 'customer bob@example.com' }] }));

    const result = await callTool(request(upstream.entry, { note: CARD }));

    expect(upstream.calls.map((call) => call.args)).toEqual([{ note: '[CARD]' }]);
    expect(result).toEqual(redactedResult);
    expect(completed(audit).body).toMatchObject({ outcome: 'redacted', reason: 'dlp:strict' });
  });

  it('input rounds: the upstream\'s request for input goes to the client checked as a result, the answers go back checked with the arguments', async () => {
    const redactCard = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll(CARD, '[REDACTED:card]'));
    const { pipeline, invocations, audit } = await setup((invocation) => ({ decision: 'redact', payload: redactCard(invocation.body.payload) }));
    const received: Array<{ args: Record<string, unknown>; input: unknown }> = [];
    const { entry } = fakeUpstream(echo);
    entry.upstream.callTool = async (_name, args, options) => {
      received.push({ args, input: options?.input });
      if (!options?.input) {
        return { resultType: 'input_required', requestState: 'opaque-state', inputRequests: { card: { method: 'elicitation/create', params: { mode: 'form', message: `Confirm ${CARD}?`, requestedSchema: { type: 'object', properties: {} } } } } };
      }
      return echo(args);
    };

    const asked = await pipeline(request(entry, { note: 'refund' }));
    expect(asked).toMatchObject({ resultType: 'input_required', requestState: 'opaque-state' });
    expect(JSON.stringify(asked)).not.toContain(CARD);

    const answered = await pipeline({
      ...request(entry, { note: 'refund' }),
      input: { inputResponses: { card: { action: 'accept', content: { number: CARD } } }, requestState: 'opaque-state' },
    });
    expect(answered).toEqual(echo({ note: 'refund' }));
    expect(received[1]).toEqual({
      args: { note: 'refund' },
      input: { inputResponses: { card: { action: 'accept', content: { number: '[REDACTED:card]' } } }, requestState: 'opaque-state' },
    });
    const answersChecked = invocations.find((invocation) => invocation.body.direction === 'arguments' && JSON.stringify(invocation.body.payload).includes('inputResponses'));
    expect(answersChecked?.body.payload).toEqual({ arguments: { note: 'refund' }, inputResponses: { card: { action: 'accept', content: { number: CARD } } } });
    const outcomes = audit.filter((event): event is EventOf<'tool.call.completed'> => event.type === 'tool.call.completed').map((event) => event.body.outcome);
    expect(outcomes).toEqual(['redacted', 'redacted']);
  });

  it('redact on the result only still counts the call as redacted', async () => {
    const redactedResult: CallToolResult = { content: [{ type: 'text', text: '[REDACTED]' }] };
    const { callTool, audit } = await setup((invocation) => (invocation.body.direction === 'result' ? { decision: 'redact', payload: redactedResult } : { decision: 'allow' }));
    const upstream = fakeUpstream(echo);

    const result = await callTool(request(upstream.entry, { customer: 'ACME-42' }));

    expect(upstream.calls.map((call) => call.args)).toEqual([{ customer: 'ACME-42' }]);
    expect(result).toEqual(redactedResult);
    expect(completed(audit).body.outcome).toBe('redacted');
  });

  it('block on the arguments: never calls the upstream and returns a tool error naming the policy, not the value', async () => {
    const { callTool, invocations, audit } = await setup(() => ({ decision: 'block', payload: undefined, reason: 'dlp:strict/credit_card', findings: [finding] }));
    const upstream = fakeUpstream(echo);

    const result = await callTool(request(upstream.entry, { note: CARD }));

    expect(upstream.calls).toEqual([]);
    expect(result.isError).toBe(true);
    const text = (result.content[0] as { text: string }).text;
    expect(text).toContain('blocked');
    expect(text).toContain('the tool arguments');
    expect(text).toContain('dlp:strict/credit_card');
    expect(JSON.stringify(result)).not.toContain(CARD);
    expect(invocations.map((invocation) => invocation.body.direction)).toEqual(['arguments']);
    expect(completed(audit).body).toMatchObject({ outcome: 'blocked', reason: 'dlp:strict/credit_card' });
    expect(JSON.stringify(audit)).not.toContain(CARD);
  });

  it('block on the result: the upstream ran, but the client gets a tool error instead of the result', async () => {
    const { callTool, audit } = await setup((invocation) =>
      invocation.body.direction === 'result' ? { decision: 'block', payload: undefined, reason: 'dlp:strict/credit_card' } : { decision: 'allow' },
    );
    const upstream = fakeUpstream(() => ({ content: [{ type: 'text', text: `card on file: ${CARD}` }] }));

    const result = await callTool(request(upstream.entry, { customer: 'ACME-42' }));

    expect(upstream.calls).toHaveLength(1);
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('the tool result');
    expect(JSON.stringify(result)).not.toContain(CARD);
    expect(completed(audit).body).toMatchObject({ outcome: 'blocked', reason: 'dlp:strict/credit_card' });
  });

  it('refuses the call after the verdict timeout when no DLP worker answers, and audits verdict_timeout', async () => {
    const { callTool, audit } = await setup(() => undefined, 60);
    const upstream = fakeUpstream(echo);

    const result = await callTool(request(upstream.entry, { customer: 'ACME-42' }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(upstream.calls).toEqual([]);
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('no DLP verdict within 60 ms');
    expect((result.content[0] as { text: string }).text).toContain('fail-closed');
    expect(audit.map((event) => event.type)).toEqual(['tool.call.received', 'tool.call.completed']);
    expect(completed(audit).body).toMatchObject({ outcome: 'refused', reason: 'verdict_timeout' });
  });

  it('refuses the call when the result verdict times out, after the upstream ran', async () => {
    const { callTool, audit } = await setup((invocation) => (invocation.body.direction === 'arguments' ? { decision: 'allow' } : undefined), 60);
    const upstream = fakeUpstream(echo);

    const result = await callTool(request(upstream.entry, {}));

    expect(upstream.calls).toHaveLength(1);
    expect(result.isError).toBe(true);
    expect(completed(audit).body).toMatchObject({ outcome: 'refused', reason: 'verdict_timeout' });
  });

  it('an upstream that throws ends the call as upstream_error without asking for a result verdict', async () => {
    const { callTool, invocations, audit, logs } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(() => {
      throw new Error('connection reset');
    });

    const result = await callTool(request(upstream.entry, {}));

    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toBe(
      'The upstream server "crm" could not run "lookup" (GH_ERR_UPSTREAM_UNAVAILABLE: the upstream is restarting or unreachable).',
    );
    expect(invocations.map((invocation) => invocation.body.direction)).toEqual(['arguments']);
    expect(completed(audit).body).toMatchObject({ outcome: 'upstream_error', reason: 'GH_ERR_UPSTREAM_UNAVAILABLE' });
    expect(await logs.waitFor('upstream request failed')).toMatchObject({ server: 'crm', trace_id: 'trace-call-tool' });
  });

  it('names the UpstreamError code, and keeps the upstream text that may echo the arguments out of the reply, audit and logs', async () => {
    const { callTool, audit, logs } = await setup(() => ({ decision: 'allow' }));
    const upstreamText = `Invalid arguments for tool lookup: note "${CARD}" is not a customer id`;
    const upstream = fakeUpstream(() => {
      throw new UpstreamError('GH_ERR_UPSTREAM_PROTOCOL', 'crm', 'tools/call was rejected with JSON-RPC error -32602', {
        rpcCode: -32602,
        upstreamMessage: upstreamText,
        cause: new Error(upstreamText),
      });
    });

    const result = await callTool(request(upstream.entry, { note: CARD }));

    expect((result.content[0] as { text: string }).text).toBe(
      'The upstream server "crm" could not run "lookup" (GH_ERR_UPSTREAM_PROTOCOL: the upstream rejected the request).',
    );
    expect(completed(audit).body).toMatchObject({ outcome: 'upstream_error', reason: 'GH_ERR_UPSTREAM_PROTOCOL' });
    expect(await logs.waitFor('upstream request failed')).toMatchObject({ server: 'crm', code: 'GH_ERR_UPSTREAM_PROTOCOL' });
    expect(JSON.stringify(logs.lines)).not.toContain(CARD);
    expect(JSON.stringify(audit)).not.toContain(CARD);
  });

  it('passes an upstream tool error (isError result) through the result check to the client', async () => {
    const { callTool, audit } = await setup(() => ({ decision: 'allow' }));
    const toolError: CallToolResult = { isError: true, content: [{ type: 'text', text: 'customer not found' }] };
    const upstream = fakeUpstream(() => toolError);

    const result = await callTool(request(upstream.entry, {}));

    expect(result).toEqual(toolError);
    expect(completed(audit).body.outcome).toBe('allowed');
  });

  it('refuses the call when a redact verdict carries no usable payload', async () => {
    const { callTool, audit } = await setup(() => ({ decision: 'redact', payload: 'not arguments' }));
    const upstream = fakeUpstream(echo);

    const result = await callTool(request(upstream.entry, {}));

    expect(upstream.calls).toEqual([]);
    expect(result.isError).toBe(true);
    expect(completed(audit).body).toMatchObject({ outcome: 'refused', reason: 'invalid_verdict' });
  });

  it('refuses the call and never forwards it when the call cannot be recorded in the audit trail', async () => {
    const { callTool, audit, faults } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(echo);
    faults.receivedPublish = new Error('store unreachable');

    const result = await callTool(request(upstream.entry, { note: 'hello' }));

    expect(upstream.calls).toEqual([]);
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('could not be recorded in the audit trail');
    expect(completed(audit).body).toMatchObject({ outcome: 'refused', reason: 'audit_unavailable' });
  });

  it('refuses the call as verdict_unavailable when the invocation cannot be published', async () => {
    const { callTool, audit, faults, logs } = await setup(() => ({ decision: 'allow' }));
    const upstream = fakeUpstream(echo);
    faults.invocationPublish = new Error('broker unreachable');

    const result = await callTool(request(upstream.entry, {}));

    expect(upstream.calls).toEqual([]);
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('the DLP service could not be reached');
    expect(completed(audit).body).toMatchObject({ outcome: 'refused', reason: 'verdict_unavailable' });
    expect(await logs.waitFor('verdict request failed')).toMatchObject({ trace_id: 'trace-call-tool' });
  });
});
