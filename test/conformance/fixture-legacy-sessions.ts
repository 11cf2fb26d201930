import { isInitializeRequest, WebStandardStreamableHTTPServerTransport, type EventStore, type McpServer } from '@modelcontextprotocol/server';

export interface LegacySessionsOptions {
  createServer: () => McpServer;
  eventStore: EventStore;
  newSessionId: () => string;
}

export interface LegacySessions {
  handle(request: Request): Promise<Response>;
  /** Sends a list_changed notification to every open session. */
  announce(change: 'tools' | 'prompts'): void;
  close(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
}

/** How long a closed POST stream tells the client to wait before it reconnects (SSE `retry`). */
const RECONNECT_AFTER_MS = 200;

/**
 * The 2025-era leg: one server instance and one Streamable HTTP transport per session, found by
 * the `Mcp-Session-Id` header. `initialize` without a session opens one; a request naming an
 * unknown (or ended) session gets 404 so the client starts over, as the transport spec requires.
 */
export function createLegacySessions(options: LegacySessionsOptions): LegacySessions {
  const sessions = new Map<string, Session>();

  async function open(request: Request): Promise<Response> {
    const server = options.createServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: options.newSessionId,
      eventStore: options.eventStore,
      retryInterval: RECONNECT_AFTER_MS,
      onsessioninitialized: (id) => void sessions.set(id, { server, transport }),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(request);
  }

  return {
    async handle(request) {
      const sessionId = request.headers.get('mcp-session-id');
      if (sessionId !== null) {
        const session = sessions.get(sessionId);
        if (!session) return jsonRpcError(404, -32001, `Session not found: ${sessionId} ended or never existed; send initialize to start a new one`);
        return session.transport.handleRequest(request);
      }
      if (request.method === 'POST' && isInitializeRequest(await bodyOf(request))) return open(request);
      return jsonRpcError(400, -32000, 'Bad Request: send initialize first, then the Mcp-Session-Id header it returned');
    },
    announce(change) {
      for (const { server } of sessions.values()) {
        if (change === 'tools') server.sendToolListChanged();
        else server.sendPromptListChanged();
      }
    },
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map(({ server }) => server.close()));
    },
  };
}

async function bodyOf(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.clone().text());
  } catch {
    return undefined;
  }
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', id: null, error: { code, message } }, { status });
}
