import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createMcpHandler, ProtocolError, Server, type McpHttpHandler } from '@modelcontextprotocol/server';
import { PrincipalSchema, type Principal } from '../../events/src/index.ts';
import type { CallTool } from './call-tool.ts';
import { jsonRpcErrorBody, UNKNOWN_TOOL_RPC_CODE, type GatewayErrorCode } from './errors.ts';
import type { Authenticate } from './identity/static-token-authenticator.ts';
import type { ToolCatalog } from './tool-catalog.ts';

export interface McpPortal {
  name: string;
  dlpProfile: string;
  catalog: ToolCatalog;
}

export interface McpEndpointOptions {
  portals: McpPortal[];
  authenticate: Authenticate;
  callTool: CallTool;
  /** Records a refused request (bad token, hidden or unknown tool) in the audit trail. */
  auditDenial(denial: { principal?: Principal; portal: string; tool?: string; reason: 'missing_token' | 'invalid_token' | 'unknown_tool'; detail: string; traceId?: string }): Promise<void>;
  maxBodyBytes: number;
  serverVersion: string;
  logger: Logger;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The MCP front door: Streamable HTTP at /mcp (the first portal) and /mcp/<portal>, for clients of
 * the 2026-07-28 revision (per-request) and of the 2025 revisions (stateless fallback). Every
 * request is authenticated before the MCP layer sees it; each request gets a server instance bound
 * to the caller, so nothing of one caller's request can leak into another's.
 */
export async function registerMcpEndpoint(app: FastifyInstance, options: McpEndpointOptions): Promise<void> {
  const { portals, authenticate, callTool, auditDenial, maxBodyBytes, serverVersion, logger } = options;
  const handlers = new Map<string, McpHttpHandler>();

  for (const portal of portals) {
    const handler = createMcpHandler(
      (context) => {
        const principal = PrincipalSchema.parse(context.authInfo?.extra?.['principal']);
        const traceId = TRACEPARENT.exec(context.requestInfo?.headers.get('traceparent') ?? '')?.[1];
        return createPortalServer(portal, principal, traceId);
      },
      {
        legacy: 'stateless',
        maxRequestBodySize: maxBodyBytes,
        onerror: (error) => logger.debug({ portal: portal.name, err: error }, 'MCP request rejected'),
      },
    );
    portal.catalog.onChange(() => handler.notify.toolsChanged());
    handlers.set(portal.name, handler);
  }

  function createPortalServer(portal: McpPortal, principal: Principal, traceId: string | undefined): Server {
    const server = new Server(
      { name: 'gatehouse', version: serverVersion },
      {
        capabilities: { tools: { listChanged: true } },
        instructions: `Gatehouse portal "${portal.name}": tools of its servers, checked by policy and DLP.`,
      },
    );
    server.setRequestHandler('tools/list', async () => ({ tools: portal.catalog.list() }));
    server.setRequestHandler('tools/call', async (request) => {
      const name = request.params.name;
      const entry = portal.catalog.resolve(name);
      if (!entry) {
        await auditDenial({ principal, portal: portal.name, tool: name, reason: 'unknown_tool', detail: 'no such tool in this portal', traceId });
        throw new ProtocolError(UNKNOWN_TOOL_RPC_CODE, `Unknown tool "${name}" in portal "${portal.name}". Call tools/list for the tools available to you.`);
      }
      return callTool({ principal, portal: portal.name, profile: portal.dlpProfile, entry, arguments: request.params.arguments ?? {}, traceId });
    });
    return server;
  }

  await app.register(async (scope) => {
    // The MCP SDK parses and validates the JSON-RPC body itself, so it can answer malformed
    // input with proper JSON-RPC errors; here the body is only bounded in size.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));

    scope.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.status(413).send(jsonRpcErrorBody('GH_ERR_BODY_TOO_LARGE', `request body exceeds ${maxBodyBytes} bytes`));
      }
      logger.error({ err: error, url: request.url }, 'MCP endpoint failed');
      return reply.status(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'internal gateway error' } });
    });

    const serve = async (request: FastifyRequest<{ Params: { portal?: string } }>, reply: FastifyReply) => {
      const portalName = request.params.portal ?? portals[0]!.name;
      const handler = handlers.get(portalName);
      if (!handler) {
        return reply.status(404).send(jsonRpcErrorBody('GH_ERR_PORTAL_NOT_FOUND', `no portal named "${portalName}"`));
      }
      const authentication = authenticate(request.headers.authorization);
      if (!authentication.ok) {
        const code: GatewayErrorCode = authentication.reason === 'missing_token' ? 'GH_ERR_AUTH_MISSING_TOKEN' : 'GH_ERR_AUTH_INVALID_TOKEN';
        await auditDenial({ portal: portalName, reason: authentication.reason, detail: authentication.message });
        return reply
          .status(401)
          .header('www-authenticate', `Bearer realm="gatehouse", error="invalid_token", error_description="${authentication.message.replaceAll('"', "'")}"`)
          .send(jsonRpcErrorBody(code, authentication.message));
      }
      const aborted = new AbortController();
      reply.raw.on('close', () => aborted.abort());
      const response = await handler.fetch(toWebRequest(request, aborted.signal), {
        // The client's token stays here: it is never passed to MCP handlers or upstream servers.
        authInfo: { token: '', clientId: authentication.principal.subject, scopes: [], extra: { principal: authentication.principal } },
      });
      reply.status(response.status);
      response.headers.forEach((value, key) => void reply.header(key, value));
      return reply.send(response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) : null);
    };

    for (const url of ['/mcp', '/mcp/:portal']) {
      scope.route({ method: ['POST', 'GET', 'DELETE'], url, handler: serve });
    }
  });

  app.addHook('onClose', async () => {
    await Promise.all([...handlers.values()].map((handler) => handler.close()));
  });
}

function toWebRequest(request: FastifyRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const url = new URL(request.url, `http://${request.headers.host ?? '127.0.0.1'}`);
  const body = request.method === 'POST' && Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : undefined;
  return new Request(url, { method: request.method, headers, body, signal });
}
