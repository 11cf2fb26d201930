/**
 * The MCP server the conformance suite runs against — directly, and behind the gateway. It speaks
 * both protocol eras on one URL (http://127.0.0.1:<port>/mcp):
 *
 * - 2025-era clients get real sessions: `initialize` creates a session (Mcp-Session-Id), the GET
 *   stream and `Last-Event-ID` resumption work through an in-memory event store, DELETE ends it.
 * - 2026-07-28 clients are served per request by the SDK's `createMcpHandler` (legacy: 'reject');
 *   `isLegacyRequest` routes between the two legs exactly as the SDK itself would.
 *
 * Host and Origin headers are checked first (DNS-rebinding protection): only localhost names pass.
 *
 * Run it alone with `node test/conformance/fixture-server.ts [--port N]`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createMcpHandler,
  createRequestStateCodec,
  hostHeaderValidationResponse,
  isLegacyRequest,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import { startWebHandlerServer } from '../support/web-handler-server.ts';
import { createInMemoryEventStore } from './fixture-event-store.ts';
import type { FixtureRequestState } from './fixture-input-required.ts';
import { createFixtureMcpServer, type FixtureShared } from './fixture-mcp-server.ts';
import { createLegacySessions } from './fixture-legacy-sessions.ts';

export interface ConformanceFixture {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  url: string;
  close(): Promise<void>;
}

export interface ConformanceFixtureOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
}

const MCP_PATH = '/mcp';

export async function startConformanceFixture(options: ConformanceFixtureOptions = {}): Promise<ConformanceFixture> {
  const shared: FixtureShared = {
    codec: createRequestStateCodec<FixtureRequestState>({ key: randomBytes(32) }),
    optionalToolListed: false,
    optionalPromptListed: false,
    announce: (change) => {
      if (change === 'tools') modern.notify.toolsChanged();
      else modern.notify.promptsChanged();
      legacy.announce(change);
    },
  };
  const modern = createMcpHandler(() => createFixtureMcpServer('modern', shared), { legacy: 'reject' });
  const legacy = createLegacySessions({
    createServer: () => createFixtureMcpServer('legacy', shared),
    eventStore: createInMemoryEventStore(),
    newSessionId: () => randomUUID(),
  });

  const serve = async (request: Request): Promise<Response> => {
    if (new URL(request.url).pathname !== MCP_PATH) return new Response('Not Found', { status: 404 });
    const rejected = hostHeaderValidationResponse(request, localhostAllowedHostnames()) ?? originValidationResponse(request, localhostAllowedOrigins());
    if (rejected) return rejected;
    return (await isLegacyRequest(request)) ? legacy.handle(request) : modern.fetch(request);
  };

  const http = await startWebHandlerServer(serve, options.port === undefined ? {} : { port: options.port });

  return {
    url: `${http.origin}${MCP_PATH}`,
    async close() {
      await legacy.close();
      await modern.close();
      await http.close();
    },
  };
}

function portArgument(argv: string[]): number {
  const index = argv.indexOf('--port');
  if (index < 0) return 0;
  const port = Number(argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port expects a number from 0 to 65535, got "${argv[index + 1] ?? ''}"`);
  return port;
}

if (import.meta.main) {
  const fixture = await startConformanceFixture({ port: portArgument(process.argv.slice(2)) });
  console.log(fixture.url);
  const stop = () => void fixture.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
