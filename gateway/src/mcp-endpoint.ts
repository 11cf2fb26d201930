import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createMcpHandler, isInitializeRequest, isLegacyRequest, type AuthInfo, type McpHttpHandler } from '@modelcontextprotocol/server';
import { PrincipalSchema, UNAUTHENTICATED_PRINCIPAL, type Principal } from '../../events/src/index.ts';
import type { Metrics } from '../../events/src/observability/index.ts';
import type { CheckedExchange } from './checked-exchange.ts';
import type { DenialAudit } from './denial-audit.ts';
import type { DnsRebindingGuard } from './dns-rebinding-guard.ts';
import { jsonRpcError, jsonRpcErrorBody } from './errors.ts';
import { AUTHENTICATION_FAILURES, type AuthenticationResult } from './identity/index.ts';
import { allowedBy } from './policy/access-rule.ts';
import { portalRule, toolsOffered } from './policy/portal-view.ts';
import { HEADER_MISMATCH_RPC_CODE, paramHeaderDeclarations, paramHeaderMismatch } from './param-headers.ts';
import { createPortalServer, type McpPortal } from './portal-server.ts';
import { baseUrlOf, resourceMetadataUrl } from './protected-resource-metadata.ts';
import { createListenSubscriptions, type ListenSubscriptionsOfPortal } from './listen-subscriptions.ts';
import { createParkedCalls } from './parked-calls.ts';
import { resourcesOffered } from './policy/prompts-and-resources-view.ts';
import { createResourceSubscriptions } from './resource-subscriptions.ts';
import { createLegacySessions, type SessionSettings } from './sessions/legacy-sessions.ts';

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
  /** Host and Origin checks against DNS rebinding, before anything else. */
  guard: DnsRebindingGuard;
  /** Whether the gateway listens on loopback only, which a portal without authentication requires. */
  listensOnLoopbackOnly: () => boolean;
  sessions: SessionSettings;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * The MCP front door: Streamable HTTP at /mcp (the first portal) and /mcp/<portal>, for clients of
 * the 2026-07-28 revision (a server per request) and of the 2025 revisions (a server per session,
 * opened by `initialize`; requests without one are served statelessly). Every request passes the
 * DNS-rebinding guard, is authenticated and checked against the portal's access rule before the
 * MCP layer sees it; each server is bound to one caller, so nothing of one caller's exchange can
 * leak into another's. The client's token stops here: it is never passed upstream.
 */
export async function registerMcpEndpoint(app: FastifyInstance, options: McpEndpointOptions): Promise<{ toolsChanged(portal: string): void }> {
  const { authenticate, exchange, auditDenial, maxBodyBytes, serverVersion, logger, metrics } = options;
  const handlers = new Map<string, McpHttpHandler>();

  const subscriptions = createResourceSubscriptions(logger);
  const parkedCalls = createParkedCalls({ timeoutMs: options.upstreamTimeoutMs });

  /** Resource subscriptions of each portal's 2026 listen streams, their updates published to the portal's listeners. */
  const listenSubscriptions = new Map<string, ListenSubscriptionsOfPortal>();
  function listenSubscriptionsOf(portalName: string): ListenSubscriptionsOfPortal {
    let ofPortal = listenSubscriptions.get(portalName);
    if (!ofPortal) {
      ofPortal = createListenSubscriptions(subscriptions, (uri) => handlers.get(portalName)?.notify.resourceUpdated(uri));
      listenSubscriptions.set(portalName, ofPortal);
    }
    return ofPortal;
  }

  /** A server for one caller: for a 2025 session (`sessionful`), a 2026-07-28 request (`modern`), or a 2025 request without a session. */
  function serverFor(portalName: string, principal: () => Principal, sessionful: boolean, modern = false) {
    const portal = options.portals().find((candidate) => candidate.policy.name === portalName);
    if (!portal) throw new Error(`portal "${portalName}" was removed`);
    return createPortalServer({
      portal,
      principal,
      exchange,
      upstreamTimeoutMs: options.upstreamTimeoutMs,
      auditDenial,
      serverVersion,
      ...(sessionful ? { session: { subscriptions, endStreamsAfterMs: options.sessions.endStreamsAfterMs } } : {}),
      resourceUpdatesByListen: modern,
      ...(modern ? { parkedCalls } : {}),
    });
  }
  const sessions = createLegacySessions({
    settings: options.sessions,
    serverFor: (owner) => serverFor(owner.portal, () => owner.principal, true),
    maxBodyBytes,
    logger,
  });

  function handlerFor(portalName: string): McpHttpHandler {
    let handler = handlers.get(portalName);
    if (!handler) {
      handler = createMcpHandler(
        (context) => {
          const principal = PrincipalSchema.parse(context.authInfo?.extra?.['principal']);
          return serverFor(portalName, () => principal, false, context.era === 'modern');
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

      const guarded = options.guard(request.headers.host, request.headers.origin);
      if (!guarded.ok) {
        await auditDenial({ portal: portalName, reason: 'host_not_allowed', detail: guarded.message });
        return reply.status(403).send(jsonRpcErrorBody(guarded.code, guarded.message));
      }
      const caller = portal.policy.authentication === 'none' ? await unauthenticatedCaller(portalName, reply) : await authenticatedCaller(request, reply, portal, metadataUrl);
      if (!caller) return reply;

      const aborted = new AbortController();
      reply.raw.on('close', () => aborted.abort());
      const authInfo: AuthInfo = { token: '', clientId: caller.principal.subject, scopes: caller.scopes, extra: { principal: caller.principal } };
      let webRequest = toWebRequest(request, aborted.signal);
      let parsedBody = parseJson(request.body);
      const legacy = parsedBody !== undefined && (await isLegacyRequest(webRequest, parsedBody, { maxRequestBodySize: maxBodyBytes }));
      const opensSession = legacy && isInitialize(parsedBody);
      if (!legacy && !sessions.handles(webRequest, opensSession)) {
        const mismatch = paramHeaderRefusal(portal, caller.principal, parsedBody, webRequest.headers);
        if (mismatch) {
          logger.debug({ portal: portalName, reason: mismatch.error.message }, 'MCP request rejected');
          return reply.status(400).send(mismatch);
        }
        const route = (uri: string) => resourcesOffered(portal.policy, portal.catalog.extras(), caller.principal).route(uri);
        const listening = await listenSubscriptionsOf(portalName).open(parsedBody, route);
        if (listening) {
          reply.raw.on('close', listening.close);
          parsedBody = listening.body;
          webRequest = toWebRequest(request, aborted.signal, Buffer.from(JSON.stringify(parsedBody)));
        }
      }
      const response = sessions.handles(webRequest, opensSession)
        ? await sessions.handle(webRequest, { portal: portalName, principal: caller.principal, authInfo }, parsedBody)
        : await handlerFor(portalName).fetch(webRequest, { authInfo });
      reply.status(response.status);
      response.headers.forEach((value, key) => void reply.header(key, value));
      return reply.send(response.body ? Readable.fromWeb(response.body as NodeReadableStream) : null);
    };

    /** A portal without authentication: served to this machine only, its callers audited as such. */
    async function unauthenticatedCaller(portalName: string, reply: FastifyReply): Promise<Caller | undefined> {
      if (options.listensOnLoopbackOnly()) return { principal: UNAUTHENTICATED_PRINCIPAL, scopes: [] };
      const detail = 'the portal has no authentication and is served only while the gateway listens on loopback';
      await auditDenial({ portal: portalName, reason: 'portal_denied', detail, rule: `portals[${portalName}].authentication` });
      reply.status(403).send(jsonRpcErrorBody('GH_ERR_PORTAL_FORBIDDEN', detail));
      return undefined;
    }

    async function authenticatedCaller(request: FastifyRequest, reply: FastifyReply, portal: McpPortal, metadataUrl: string): Promise<Caller | undefined> {
      const portalName = portal.policy.name;
      const authentication = await authenticate(request.headers.authorization);
      if (!authentication.ok) {
        await auditDenial({ portal: portalName, reason: authentication.reason, detail: authentication.message });
        const presented = authentication.reason !== 'missing_token';
        const challenge = `Bearer resource_metadata="${metadataUrl}"${presented ? `, error="invalid_token", error_description="${authentication.message.replaceAll('"', "'")}"` : ''}`;
        reply
          .status(401)
          .header('www-authenticate', challenge)
          .send(jsonRpcError(AUTHENTICATION_FAILURES[authentication.reason].code, `${authentication.message}; ${AUTHENTICATION_FAILURES[authentication.reason].hint}`));
        return undefined;
      }
      const { principal } = authentication;
      const missingScopes = options.requiredScopes.filter((scope) => !authentication.scopes.includes(scope));
      if (missingScopes.length > 0) {
        const detail = `the token lacks the scope(s) ${missingScopes.join(' ')}`;
        await auditDenial({ principal, portal: portalName, reason: 'insufficient_scope', detail, rule: 'identity.oidc.required_scopes' });
        reply
          .status(403)
          .header('www-authenticate', `Bearer error="insufficient_scope", scope="${options.requiredScopes.join(' ')}", resource_metadata="${metadataUrl}"`)
          .send(jsonRpcErrorBody('GH_ERR_AUTH_INSUFFICIENT_SCOPE', detail));
        return undefined;
      }
      const keyScoped = authentication.portals !== undefined && !authentication.portals.includes(portalName);
      if (keyScoped || !allowedBy(portal.policy.access, principal)) {
        const rule = keyScoped ? 'api_key.portals' : portalRule(portalName);
        await auditDenial({ principal, portal: portalName, reason: 'portal_denied', detail: 'the caller may not use this portal', rule });
        reply.status(403).send(jsonRpcErrorBody('GH_ERR_PORTAL_FORBIDDEN', `you may not use the portal "${portalName}"`));
        return undefined;
      }
      options.onAuthenticated(authentication, portalName);
      return { principal, scopes: authentication.scopes };
    }


    for (const url of ['/mcp', '/mcp/:portal']) {
      scope.route({ method: ['POST', 'GET', 'DELETE'], url, handler: serve });
    }
  });

  app.addHook('onClose', async () => {
    parkedCalls.close();
    await sessions.close();
    await Promise.all([...handlers.values()].map((handler) => handler.close()));
  });

  return {
    /** Tells the portal's clients that its tools, prompts or resources changed: sessions on their GET stream, 2026 clients through `subscriptions/listen`. */
    toolsChanged(portal: string) {
      const listening = handlers.get(portal)?.notify;
      listening?.toolsChanged();
      listening?.promptsChanged();
      listening?.resourcesChanged();
      for (const server of sessions.serversOf(portal)) {
        void Promise.all([server.sendToolListChanged(), server.sendPromptListChanged(), server.sendResourceListChanged()]).catch((error: unknown) =>
          logger.debug({ portal, err: error }, 'could not tell a session that the lists changed'),
        );
      }
    },
  };
}

interface Caller {
  principal: Principal;
  scopes: string[];
}

/**
 * A 2026-07-28 tools/call whose Mcp-Param headers disagree with its arguments, as the JSON-RPC
 * error that refuses it (SEP-2243); undefined for anything else. Checked against the tool as this
 * caller is offered it; an unknown tool is left to the MCP layer, which answers it as unknown.
 */
function paramHeaderRefusal(portal: McpPortal, principal: Principal, body: unknown, headers: Headers) {
  const call = body as { id?: unknown; method?: unknown; params?: { name?: unknown; arguments?: unknown } } | undefined;
  if (!call || call.method !== 'tools/call' || typeof call.params?.name !== 'string') return undefined;
  const lookup = toolsOffered(portal.policy, portal.catalog.entries(), principal, portal.pinStatus?.()).lookup(call.params.name);
  if (!lookup.offered) return undefined;
  const message = paramHeaderMismatch(paramHeaderDeclarations(lookup.tool.definition.inputSchema), call.params.arguments, headers);
  return message === undefined ? undefined : { jsonrpc: '2.0' as const, id: call.id ?? null, error: { code: HEADER_MISMATCH_RPC_CODE, message } };
}

function parseJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    // Left to the MCP layer, which answers malformed JSON with a proper JSON-RPC parse error.
    return undefined;
  }
}

const isInitialize = (body: unknown) => (Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body));

/** The request for the MCP SDK; `body` replaces the one received (its length is then the new one's). */
function toWebRequest(request: FastifyRequest, signal: AbortSignal, body?: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (body && name === 'content-length') continue;
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const url = new URL(request.url, `http://${request.headers.host ?? '127.0.0.1'}`);
  const received = body ?? (request.method === 'POST' && Buffer.isBuffer(request.body) ? request.body : undefined);
  return new Request(url, { method: request.method, headers, body: received ? new Uint8Array(received) : undefined, signal });
}
