import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport, type AuthInfo, type Server } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { Principal } from '../../../events/src/index.ts';
import { GATEWAY_ERRORS, jsonRpcErrorBody, type GatewayErrorCode } from '../errors.ts';
import { createReplayBuffer } from './replay-buffer.ts';

export interface SessionSettings {
  max: number;
  idleTimeoutMs: number;
  /** Messages kept per session for resuming a broken stream. */
  replayMessages: number;
  /** A request still running after this long has its stream ended, for the client to resume (0: never). */
  endStreamsAfterMs: number;
}

/** The caller of one request, as the endpoint authenticated it. */
export interface SessionCaller {
  portal: string;
  principal: Principal;
  authInfo: AuthInfo;
}

/** What a session's server reads of its caller; refreshed on every request, as tokens are. */
export interface SessionOwner {
  readonly portal: string;
  principal: Principal;
}

interface Session {
  readonly owner: SessionOwner;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: Server;
  lastUsed: number;
}

export interface LegacySessionsOptions {
  settings: SessionSettings;
  /** A server for a new session, bound to the caller who opened it. */
  serverFor(owner: SessionOwner): Server;
  maxBodyBytes: number;
  logger: Logger;
  now?: () => number;
}

/**
 * The SSE `retry` a session's streams announce: how long a client whose stream dropped waits
 * before it resumes with Last-Event-ID from the replay buffer.
 */
const RECONNECT_AFTER_MS = 1_000;

/**
 * Sessions of 2025-11-25 clients: `initialize` opens one, its id (Mcp-Session-Id) carries the
 * later requests, the GET stream and DELETE. A session belongs to the caller who opened it on the
 * portal it was opened on: anyone else presenting its id is told it does not exist, exactly as
 * for an expired one, so ids cannot be probed or borrowed.
 */
export function createLegacySessions(options: LegacySessionsOptions) {
  const { settings, logger } = options;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();

  const sweep = setInterval(() => {
    const cutoff = now() - settings.idleTimeoutMs;
    for (const [id, session] of sessions) if (session.lastUsed < cutoff) void end(id, session, 'idle');
  }, Math.min(60_000, settings.idleTimeoutMs));
  sweep.unref();

  async function end(id: string, session: Session, why: string): Promise<void> {
    if (sessions.get(id) !== session) return;
    sessions.delete(id);
    logger.debug({ session: id, portal: session.owner.portal, why }, 'MCP session ended');
    await session.server.close().catch(() => undefined);
  }

  async function open(request: Request, caller: SessionCaller, parsedBody: unknown): Promise<Response> {
    if (sessions.size >= settings.max) {
      return sessionError('GH_ERR_SESSION_LIMIT', `the gateway holds its maximum of ${settings.max} sessions`);
    }
    const owner: SessionOwner = { portal: caller.portal, principal: caller.principal };
    const server = options.serverFor(owner);
    let session: Session | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: createReplayBuffer(settings.replayMessages),
      retryInterval: RECONNECT_AFTER_MS,
      maxRequestBodySize: options.maxBodyBytes,
      onsessioninitialized: (id) => {
        session = { owner, transport, server, lastUsed: now() };
        sessions.set(id, session);
        logger.debug({ session: id, portal: owner.portal, subject: owner.principal.subject }, 'MCP session opened');
      },
      onsessionclosed: (id) => {
        if (session) void end(id, session, 'deleted by the client');
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id !== undefined && session) void end(id, session, 'closed');
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody, authInfo: caller.authInfo });
  }

  return {
    /** Whether the request belongs to the session leg: it names a session, or it opens one. */
    handles(request: Request, initializes: boolean): boolean {
      return request.headers.has('mcp-session-id') || (request.method === 'POST' && initializes);
    },

    async handle(request: Request, caller: SessionCaller, parsedBody: unknown): Promise<Response> {
      const id = request.headers.get('mcp-session-id');
      if (id === null) return open(request, caller, parsedBody);
      const session = sessions.get(id);
      if (!session || session.owner.portal !== caller.portal || session.owner.principal.subject !== caller.principal.subject) {
        return sessionError('GH_ERR_SESSION_NOT_FOUND', 'no such session: it expired, was ended, or belongs to someone else');
      }
      session.lastUsed = now();
      session.owner.principal = caller.principal;
      return session.transport.handleRequest(request, { parsedBody, authInfo: caller.authInfo });
    },

    /** Servers of the live sessions on a portal, to tell their clients what changed. */
    serversOf(portal: string): Server[] {
      return [...sessions.values()].filter((session) => session.owner.portal === portal).map((session) => session.server);
    },

    get size(): number {
      return sessions.size;
    },

    async close(): Promise<void> {
      clearInterval(sweep);
      await Promise.all([...sessions].map(([id, session]) => end(id, session, 'gateway shutting down')));
    },
  };
}

export type LegacySessions = ReturnType<typeof createLegacySessions>;

function sessionError(code: GatewayErrorCode, message: string): Response {
  return Response.json(jsonRpcErrorBody(code, message), { status: GATEWAY_ERRORS[code].status });
}
