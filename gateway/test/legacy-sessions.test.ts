import { Server } from '@modelcontextprotocol/server';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../events/src/index.ts';
import { createLegacySessions, type LegacySessions, type SessionOwner } from '../src/sessions/legacy-sessions.ts';

const alice: Principal = { subject: 'alice', email: 'alice@example.com', groups: ['eng'] };
const mallory: Principal = { subject: 'mallory', email: 'mallory@example.com', groups: ['eng'] };
const URL_ = 'http://127.0.0.1/mcp/main';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } } };
const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

/** A server that answers tools/list with its owner's subject, so a test sees whose session served it. */
function serverFor(owner: SessionOwner): Server {
  const server = new Server({ name: 'test', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name: `for_${owner.principal.subject}`, inputSchema: { type: 'object' } }] }));
  return server;
}

const caller = (principal: Principal, portal = 'main') => ({ portal, principal, authInfo: { token: '', clientId: principal.subject, scopes: [], extra: { principal } } });

function post(body: unknown, session?: string): Request {
  return new Request(URL_, { method: 'POST', headers: { ...HEADERS, ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}) }, body: JSON.stringify(body) });
}

async function open(sessions: LegacySessions, principal: Principal): Promise<string> {
  const response = await sessions.handle(post(initialize), caller(principal), initialize);
  expect(response.status).toBe(200);
  const id = response.headers.get('mcp-session-id');
  expect(id).toBeTruthy();
  await response.text();
  const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
  await (await sessions.handle(post(initialized, id!), caller(principal), initialized)).text();
  return id!;
}

async function toolNames(response: Response): Promise<string[]> {
  const text = await response.text();
  // With resumability on, the stream opens with an empty priming event before the answer.
  const data = text.split('\n').find((line) => line.startsWith('data: {'));
  const message = JSON.parse(data ? data.slice(6) : text) as { result: { tools: Array<{ name: string }> } };
  return message.result.tools.map((tool) => tool.name);
}

describe('2025-11-25 sessions', () => {
  let sessions: LegacySessions | undefined;
  afterEach(async () => sessions?.close());

  function create(max = 10) {
    sessions = createLegacySessions({ settings: { max, idleTimeoutMs: 60_000, replayMessages: 10, endStreamsAfterMs: 0 }, serverFor, maxBodyBytes: 1_000_000, logger: pino({ level: 'silent' }) });
    return sessions;
  }

  it('serves later requests of a session from the server opened for its owner', async () => {
    const sessions = create();
    const id = await open(sessions, alice);
    const response = await sessions.handle(post(listTools, id), caller(alice), listTools);
    expect(response.status).toBe(200);
    expect(await toolNames(response)).toEqual(['for_alice']);
  });

  it('tells another caller, or the owner on another portal, that the session does not exist', async () => {
    const sessions = create();
    const id = await open(sessions, alice);
    for (const stranger of [caller(mallory), caller(alice, 'other')]) {
      const response = await sessions.handle(post(listTools, id), stranger, listTools);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { data: { code: 'GH_ERR_SESSION_NOT_FOUND' } } });
    }
  });

  it('ends a session on DELETE', async () => {
    const sessions = create();
    const id = await open(sessions, alice);
    const deleted = await sessions.handle(new Request(URL_, { method: 'DELETE', headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' } }), caller(alice), undefined);
    expect(deleted.status).toBe(200);
    expect(sessions.size).toBe(0);
    expect((await sessions.handle(post(listTools, id), caller(alice), listTools)).status).toBe(404);
  });

  it('refuses a new session beyond the limit with 503', async () => {
    const sessions = create(1);
    await open(sessions, alice);
    const refused = await sessions.handle(post(initialize), caller(mallory), initialize);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { data: { code: 'GH_ERR_SESSION_LIMIT' } } });
  });
});
