import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport, type CreateMessageRequest, type ElicitRequest } from '@modelcontextprotocol/client';
import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENTS_TABLE } from '../../audit-ingest/src/index.ts';
import { createInMemoryEventStore } from '../conformance/fixture-event-store.ts';
import { createLegacySessions } from '../conformance/fixture-legacy-sessions.ts';
import { startGatewayInFront, type GatewayInFront } from '../conformance/gateway-in-front.ts';
import { startWebHandlerServer } from '../support/web-handler-server.ts';

const CARD = '4111 1111 1111 1111';
const onThisCall = (ctx: ServerContext) => ({ relatedRequestId: ctx.mcpReq.id });

/** A 2025-11-25 upstream (sessions only) whose tools log, and send sampling and elicitation requests, while they run. */
async function startAskingUpstream() {
  const create = () => {
    const server = new McpServer({ name: 'asking-upstream', version: '1.0.0' }, { capabilities: { logging: {} } });
    server.registerTool('summarise_card', { description: 'Asks the client to sample a summary.' }, async (ctx) => {
      const answer = await ctx.mcpReq.requestSampling({ messages: [{ role: 'user', content: { type: 'text', text: `Summarise card ${CARD}` } }], maxTokens: 50 }, onThisCall(ctx));
      const block = Array.isArray(answer.content) ? answer.content[0] : answer.content;
      return { content: [{ type: 'text', text: `summary: ${block?.type === 'text' ? block.text : '?'}` }] };
    });
    server.registerTool('log_card', { description: 'Logs a card number while it runs.' }, async (ctx) => {
      await ctx.mcpReq.log('info', `charging card ${CARD}`, 'billing');
      return { content: [{ type: 'text', text: 'charged' }] };
    });
    server.registerTool('confirm_refund', { description: 'Asks the user to confirm.' }, async (ctx) => {
      const answer = await ctx.mcpReq.elicitInput({ mode: 'form', message: 'Refund?', requestedSchema: { type: 'object', properties: { note: { type: 'string' } } } }, onThisCall(ctx));
      return { content: [{ type: 'text', text: `refund ${answer.action}: ${JSON.stringify(answer.content ?? {})}` }] };
    });
    return server;
  };
  const sessions = createLegacySessions({ createServer: create, eventStore: createInMemoryEventStore(), newSessionId: () => randomUUID() });
  const http = await startWebHandlerServer((request) => sessions.handle(request));
  return {
    url: `${http.origin}/mcp`,
    async close() {
      await sessions.close();
      await http.close();
    },
  };
}

describe('what a 2025-11-25 upstream sends its client during a call, through the gateway', () => {
  let upstream: Awaited<ReturnType<typeof startAskingUpstream>>;
  let gateway: GatewayInFront;
  let client: Client;
  /** A 2026-07-28 client: it cannot be sent requests, so it gets them as input_required and retries. */
  let modernClient: Client;
  const sampled: CreateMessageRequest['params'][] = [];
  const elicited: ElicitRequest['params'][] = [];
  const logged: unknown[] = [];

  beforeAll(async () => {
    upstream = await startAskingUpstream();
    gateway = await startGatewayInFront(upstream.url);
    client = new Client({ name: 'asked', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: { form: {} } } });
    client.setRequestHandler('sampling/createMessage', async (request) => {
      sampled.push(request.params);
      return { role: 'assistant', content: { type: 'text', text: 'a visa card' }, model: 'test-model' };
    });
    client.setRequestHandler('elicitation/create', async (request) => {
      elicited.push(request.params);
      return { action: 'accept', content: { note: `refund to ${CARD}` } };
    });
    client.setNotificationHandler('notifications/message', (notification) => void logged.push(notification.params.data));
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));

    modernClient = new Client({ name: 'asked-2026', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' }, capabilities: { sampling: {}, elicitation: { form: {} } } });
    modernClient.setRequestHandler('sampling/createMessage', async (request) => {
      sampled.push(request.params);
      return { role: 'assistant', content: { type: 'text', text: 'a mastercard' }, model: 'test-model' };
    });
    modernClient.setRequestHandler('elicitation/create', async (request) => {
      elicited.push(request.params);
      return { action: 'decline' };
    });
    await modernClient.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  });

  afterAll(async () => {
    await modernClient?.close();
    await client?.close();
    await gateway?.close();
    await upstream?.close();
  });

  it('routes a sampling request to the client whose call caused it, checked by the DLP on the way out', async () => {
    const result = await client.callTool({ name: 'summarise_card', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'summary: a visa card' }]);
    expect(sampled).toHaveLength(1);
    expect(JSON.stringify(sampled[0])).not.toContain(CARD);
    expect(JSON.stringify(sampled[0])).toContain('[REDACTED:payment_card]');
  });

  it('passes log messages on before the result, checked by the DLP like a result', async () => {
    const result = await client.callTool({ name: 'log_card', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'charged' }]);
    expect(logged).toEqual(['charging card [REDACTED:payment_card]']);
  });

  it('audits a log message by its DLP verdict, not as a call', { timeout: 30_000 }, async () => {
    const count = async (sql: string) => Number((await gateway.pipeline.store.query(sql)).rows[0]![0]);
    const logVerdicts = `SELECT count() FROM ${AUDIT_EVENTS_TABLE} WHERE type = 'dlp.verdict' AND tool = 'billing' AND decision = 'redact'`;
    for (let attempt = 0; attempt < 100 && (await count(logVerdicts)) === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await count(logVerdicts)).toBeGreaterThan(0);
    expect(await count(`SELECT count() FROM ${AUDIT_EVENTS_TABLE} WHERE type LIKE 'tool.call.%' AND tool = 'billing'`)).toBe(0);
  });

  it('returns the user\'s answer to an elicitation upstream, checked by the DLP on the way back', async () => {
    const result = await client.callTool({ name: 'confirm_refund', arguments: {} });
    expect(elicited.map((params) => params.message)).toEqual(['Refund?']);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toContain('refund accept');
    expect(text).not.toContain(CARD);
    expect(text).toContain('[REDACTED:payment_card]');
  });

  it('gives a 2026 client the upstream\'s sampling request as input_required, checked by the DLP, and resumes the call with its answer', async () => {
    expect(modernClient.getProtocolEra()).toBe('modern');
    sampled.length = 0;
    const result = await modernClient.callTool({ name: 'summarise_card', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'summary: a mastercard' }]);
    expect(sampled).toHaveLength(1);
    expect(JSON.stringify(sampled[0])).toContain('[REDACTED:payment_card]');
    expect(JSON.stringify(sampled[0])).not.toContain(CARD);
  });

  it('gives a 2026 client the upstream\'s elicitation the same way, and the upstream its answer', async () => {
    elicited.length = 0;
    const result = await modernClient.callTool({ name: 'confirm_refund', arguments: {} });
    expect(elicited.map((params) => params.message)).toEqual(['Refund?']);
    expect(result.content).toEqual([{ type: 'text', text: 'refund decline: {}' }]);
  });
});
