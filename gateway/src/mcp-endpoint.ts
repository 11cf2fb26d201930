import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import { PrincipalSchema } from '../../events/src/index.ts';
import type { Metrics } from '../../events/src/observability/index.ts';
import type { CheckedExchange, CheckedRequest } from './checked-exchange.ts';
import type { DenialAudit } from './denial-audit.ts';
import { jsonRpcError, jsonRpcErrorBody } from './errors.ts';
import { AUTHENTICATION_FAILURES, type AuthenticationResult } from './identity/index.ts';
import { allowedBy } from './policy/access-rule.ts';
import { portalRule } from './policy/portal-view.ts';
import { createPortalServer, type McpPortal } from './portal-server.ts';
import { baseUrlOf, resourceMetadataUrl } from './protected-resource-metadata.ts';

/** What the endpoint needs to know about a caller; identity/ produces it from the bearer token. */
export type EndpointAuthentication = AuthenticationResult;

export interface McpEndpointOptions {
  /** The portals served now; read on every request, so a reloaded config applies at once. */
  portals: () => McpPortal[];
  authenticate: (authorization: string | undefined) => Promise<EndpointAuthentication>;
  onAuthenticated: (authentication: Extract<EndpointAuthentication, { ok: true }>, portal: string) => void;
  /** Runs tool calls, prompts and resource reads through DLP and the audit trail. */
  exchange: CheckedExchange;
  upstreamTimeoutMs: number;
  auditDenial: DenialAudit;
  /** Scopes every token must carry (OAuth `scope`); missing ones get 403 insufficient_scope. */
  requiredScopes: string[];
  /** The gateway's public base URL, as clients reach it; names the protected resources. Default: from the request. */
  publicUrl: string | undefined;
  maxBodyBytes: number;
  serverVersion: string;
  logger: Logger;
  metrics?: Metrics;
}

/** W3C Trace Context `traceparent`: version, trace id, the caller's span id, flags. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;


/**
 * The MCP front door: Streamable HTTP at /mcp (the first portal) and /mcp/<portal>, for clients of
 * the 2026-07-28 revision (per-request) and of the 2025 revisions (stateless fallback). Every
 * request is authenticated and checked against the portal's access rule before the MCP layer sees
 * it; each request gets a server instance bound to the caller, so nothing of one caller's request
 * can leak into another's. The client's token stops here: it is never passed upstream.
 */
export async function registerMcpEndpoint(app: FastifyInstance, options: McpEndpointOptions): Promise<{ toolsChanged(portal: string): void }> {
  const { authenticate, exchange, auditDenial, maxBodyBytes, serverVersion, logger, metrics } = options;
  const handlers = new Map<string, McpHttpHandler>();

  function handlerFor(portalName: string): McpHttpHandler {
    let handler = handlers.get(portalName);
    if (!handler) {
      handler = createMcpHandler(
        (context) => {
          const portal = options.portals().find((candidate) => candidate.policy.name === portalName);
          if (!portal) throw new Error(`portal "${portalName}" was removed`);
          const principal = PrincipalSchema.parse(context.authInfo?.extra?.['principal']);
          const [, traceId, parentSpanId] = TRACEPARENT.exec(context.requestInfo?.headers.get('traceparent') ?? '') ?? [];
          const continueTrace = <R>(request: CheckedRequest<R>) => exchange({ ...request, ...(parentSpanId ? { parentSpanId } : {}) });
          return createPortalServer({ portal, principal, traceId, exchange: continueTrace, upstreamTimeoutMs: options.upstreamTimeoutMs, auditDenial, serverVersion });
        },
        {
          legacy: 'stateless',
          maxRequestBodySize: maxBodyBytes,
          onerror: (error) => logger.debug({ portal: portalName, err: error }, 'MCP request rejected'),
        },
      );
      handlers.set(portalName, handler);
    }
    return handler;
  }

  await app.register(async (scope) => {
    // The MCP SDK parses and validates the JSON-RPC body itself, so it can answer malformed
    // input with proper JSON-RPC errors; here the body is only bounded in size.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));
    if (metrics) {
      scope.addHook('onResponse', async (request: FastifyRequest<{ Params: { portal?: string } }>, reply) => {
        // A portal that does not exist is not a label value: unknown names would grow the series without bound.
        const named = request.params.portal;
        const portal = named === undefined ? (options.portals()[0]?.policy.name ?? '') : options.portals().some((p) => p.policy.name === named) ? named : 'unknown';
        metrics.mcpRequests.inc({ portal, method: request.method, status: String(reply.statusCode) });
      });
    }

    scope.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.status(413).send(jsonRpcErrorBody('GH_ERR_BODY_TOO_LARGE', `request body exceeds ${maxBodyBytes} bytes`));
      }
      logger.error({ err: error, url: request.url }, 'MCP endpoint failed');
      return reply.status(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'internal gateway error' } });
    });

    const serve = async (request: FastifyRequest<{ Params: { portal?: string } }>, reply: FastifyReply) => {
      const portals = options.portals();
      const portal = request.params.portal ? portals.find((candidate) => candidate.policy.name === request.params.portal) : portals[0];
      if (!portal) {
        return reply.status(404).send(jsonRpcErrorBody('GH_ERR_PORTAL_NOT_FOUND', `no portal named "${request.params.portal}"`));
      }
      const portalName = portal.policy.name;
      const metadataUrl = resourceMetadataUrl(baseUrlOf(options.publicUrl, request), request.params.portal ? portalName : undefined);

      const authentication = await authenticate(request.headers.authorization);
      if (!authentication.ok) {
        await auditDenial({ portal: portalName, reason: authentication.reason, detail: authentication.message });
        const presented = authentication.reason !== 'missing_token';
        const challenge = `Bearer resource_metadata="${metadataUrl}"${presented ? `, error="invalid_token", error_description="${authentication.message.replaceAll('"', "'")}"` : ''}`;
        return reply
          .status(401)
          .header('www-authenticate', challenge)
          .send(jsonRpcError(AUTHENTICATION_FAILURES[authentication.reason].code, `${authentication.message}; ${AUTHENTICATION_FAILURES[authentication.reason].hint}`));
      }
      const { principal } = authentication;
      const missingScopes = options.requiredScopes.filter((scope) => !authentication.scopes.includes(scope));
      if (missingScopes.length > 0) {
        const detail = `the token lacks the scope(s) ${missingScopes.join(' ')}`;
        await auditDenial({ principal, portal: portalName, reason: 'insufficient_scope', detail, rule: 'identity.oidc.required_scopes' });
        return reply
          .status(403)
          .header('www-authenticate', `Bearer error="insufficient_scope", scope="${options.requiredScopes.join(' ')}", resource_metadata="${metadataUrl}"`)
          .send(jsonRpcErrorBody('GH_ERR_AUTH_INSUFFICIENT_SCOPE', detail));
      }
      const keyScoped = authentication.portals !== undefined && !authentication.portals.includes(portalName);
      if (keyScoped || !allowedBy(portal.policy.access, principal)) {
        const rule = keyScoped ? 'api_key.portals' : portalRule(portalName);
        await auditDenial({ principal, portal: portalName, reason: 'portal_denied', detail: 'the caller may not use this portal', rule });
        return reply.status(403).send(jsonRpcErrorBody('GH_ERR_PORTAL_FORBIDDEN', `you may not use the portal "${portalName}"`));
      }
      options.onAuthenticated(authentication, portalName);

      const aborted = new AbortController();
      reply.raw.on('close', () => aborted.abort());
      const response = await handlerFor(portalName).fetch(toWebRequest(request, aborted.signal), {
        authInfo: { token: '', clientId: principal.subject, scopes: authentication.scopes, extra: { principal } },
      });
      reply.status(response.status);
      response.headers.forEach((value, key) => void reply.header(key, value));
      return reply.send(response.body ? Readable.fromWeb(response.body as NodeReadableStream) : null);
    };

    for (const url of ['/mcp', '/mcp/:portal']) {
      scope.route({ method: ['POST', 'GET', 'DELETE'], url, handler: serve });
    }
  });

  app.addHook('onClose', async () => {
    await Promise.all([...handlers.values()].map((handler) => handler.close()));
  });

  return {
    /** Tells the portal's `subscriptions/listen` clients that its tool list changed. */
    toolsChanged(portal: string) {
      handlers.get(portal)?.notify.toolsChanged();
    },
  };
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
