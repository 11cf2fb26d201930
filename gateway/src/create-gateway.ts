import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ANONYMOUS, createEvent, type Bus, type Clock, type Topics } from '../../events/src/index.ts';
import { registerHealthRoutes, type Metrics, type ReadinessCheck, type Tracing } from '../../events/src/observability/index.ts';
import { createCheckedExchange } from './checked-exchange.ts';
import type { DenialAudit } from './denial-audit.ts';
import { registerMcpEndpoint, type McpEndpointOptions } from './mcp-endpoint.ts';
import { createPortalRegistry, type GatewayPortal } from './portal-registry.ts';
import { registerProtectedResourceMetadata } from './protected-resource-metadata.ts';
import { createPinStore } from './pinning/pin-store.ts';
import { createToolPinning } from './pinning/tool-pinning.ts';
import { createSignInAudit } from './sign-in-audit.ts';
import { connectUpstream as connectUpstreamDefault, type UpstreamConnection, type UpstreamSpec } from './upstream/index.ts';
import { createVerdictClient } from './verdict-client.ts';
import { createDnsRebindingGuard } from './dns-rebinding-guard.ts';
import { isLoopbackHost } from './loopback.ts';
import type { SessionSettings } from './sessions/legacy-sessions.ts';

export type { GatewayPortal, GatewayServer } from './portal-registry.ts';

export interface GatewayOptions {
  portals: GatewayPortal[];
  authenticate: McpEndpointOptions['authenticate'];
  bus: Bus;
  topics: Topics;
  clock: Clock;
  logger: Logger;
  /** Names this instance in events and its reply topic; unique among running gateways. */
  instanceId: string;
  /** The gateway's base URL as clients reach it (no trailing slash); names the OAuth protected resources. Default: from each request. */
  publicUrl?: string;
  /** OAuth authorization servers (OIDC issuers) clients get tokens from; listed in the resource metadata. */
  authorizationServers: string[];
  requiredScopes: string[];
  verdictTimeoutMs: number;
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  serverVersion: string;
  /** DNS-rebinding protection: Host names and web origins the MCP endpoint answers; default from where it listens. */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  /** Sessions of 2025-11-25 clients. */
  sessions: SessionSettings;
  /** Tool pinning: the file of approved tool fingerprints and what a changed definition does. Absent: off. */
  toolPinning?: { file: string; onChange: 'withhold' | 'allow' };
  connectUpstream?: (spec: UpstreamSpec, logger: Logger) => Promise<UpstreamConnection>;
  /** Served at /metrics and fed by every request and tool call; absent: no /metrics. */
  metrics?: Metrics;
  tracing?: Tracing;
  /** What /readyz checks once started (the bus, the store); none: ready once started. */
  readiness?: ReadinessCheck[];
}

export interface Gateway {
  app: FastifyInstance;
  /** Connects the reply channel and the upstreams; the gateway is ready afterwards. */
  start(): Promise<void>;
  /** Starts listening; resolves with the base URL. */
  listen(host: string, port: number): Promise<string>;
  /** Serves a new set of portals; upstreams whose settings did not change keep their connections. */
  reload(portals: GatewayPortal[]): Promise<void>;
  /** Stops taking requests, lets those in flight finish, then releases upstreams and the reply channel. */
  close(): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { bus, topics, clock, logger, instanceId } = options;
  const verdicts = createVerdictClient({ bus, topics, instanceId, timeoutMs: options.verdictTimeoutMs, clock, logger });
  const { metrics, tracing } = options;
  const exchange = createCheckedExchange({ bus, topics, verdicts, instanceId, clock, logger, upstreamTimeoutMs: options.upstreamTimeoutMs, metrics, tracing });

  const auditDenial: DenialAudit = async (denial) => {
    metrics?.denials.inc({ reason: denial.reason });
    const event = createEvent(
      'access.denied',
      { trace_id: denial.traceId ?? crypto.randomUUID().replaceAll('-', ''), gateway: instanceId, principal: denial.principal ?? ANONYMOUS, portal: denial.portal, tool: denial.tool ?? '' },
      { reason: denial.reason, detail: denial.detail, ...(denial.rule ? { rule: denial.rule } : {}) },
      clock,
    );
    await bus.publish(topics.audit, event).catch((error: unknown) => logger.error({ err: error }, 'could not audit a denied request'));
  };

  const app = Fastify({ loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: options.maxBodyBytes });
  let ready = false;
  registerHealthRoutes(app, { started: () => ready, checks: options.readiness ?? [], metrics });

  let toolsChanged: (portal: string) => void = () => undefined;
  const pinning = options.toolPinning
    ? createToolPinning({
        store: createPinStore(options.toolPinning.file),
        onChange: options.toolPinning.onChange,
        clock,
        report: (change) => {
          logger.warn({ portal: change.portal, server: change.server, tool: change.tool, summary: change.summary, action: change.action }, 'an upstream changed a tool definition since it was approved');
          const event = createEvent(
            'tool.definition.changed',
            { trace_id: crypto.randomUUID().replaceAll('-', ''), gateway: instanceId, principal: ANONYMOUS, portal: change.portal, server: change.server, tool: change.tool },
            { approved_fingerprint: change.approvedFingerprint, new_fingerprint: change.newFingerprint, summary: change.summary, action: change.action },
            clock,
          );
          bus.publish(topics.audit, event).catch((error: unknown) => logger.error({ err: error }, 'could not audit a tool definition change'));
        },
      })
    : undefined;
  const registry = createPortalRegistry({
    ...(pinning ? { pinning } : {}),
    connectUpstream: options.connectUpstream ?? connectUpstreamDefault,
    logger,
    onToolsChanged: (portal) => toolsChanged(portal),
  });
  registerProtectedResourceMetadata(app, {
    publicUrl: options.publicUrl,
    authorizationServers: options.authorizationServers,
    scopesSupported: options.requiredScopes,
    portalExists: (name) => registry.portals().some((portal) => portal.policy.name === name),
  });
  let listening: { loopback: boolean } | undefined;
  const guard = createDnsRebindingGuard(
    { allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins, publicUrl: options.publicUrl },
    () => listening,
  );
  const signIns = createSignInAudit({ bus, topics, clock, instanceId, logger });
  const registered = registerMcpEndpoint(app, {
    portals: () => registry.portals(),
    authenticate: options.authenticate,
    onAuthenticated: (authentication, portal) => signIns.record(authentication.principal, authentication.method, portal),
    exchange,
    upstreamTimeoutMs: options.upstreamTimeoutMs,
    auditDenial,
    requiredScopes: options.requiredScopes,
    publicUrl: options.publicUrl,
    maxBodyBytes: options.maxBodyBytes,
    serverVersion: options.serverVersion,
    guard,
    listensOnLoopbackOnly: () => listening?.loopback === true,
    sessions: options.sessions,
    logger,
    metrics,
  }).then((endpoint) => {
    toolsChanged = endpoint.toolsChanged;
  });

  return {
    app,
    async start() {
      await registered;
      await verdicts.start();
      await registry.apply(options.portals);
      await app.ready();
      ready = true;
    },
    async listen(host, port) {
      const open = registry.portals().find((portal) => portal.policy.authentication === 'none');
      if (open && !isLoopbackHost(host)) {
        throw new Error(`portal "${open.policy.name}" has no authentication, so the gateway listens only on a loopback address, not ${host}; set gateway.host to 127.0.0.1 or require authentication`);
      }
      listening = { loopback: isLoopbackHost(host) };
      const address = await app.listen({ host, port }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new Error(`${host}:${port} is already in use; stop what listens there, or choose another port (--port N or PORT)`, { cause: error });
      });
      return address.replace('[::1]', '127.0.0.1');
    },
    reload: (portals) => registry.apply(portals),
    async close() {
      ready = false;
      await app.close();
      await registry.close();
      await verdicts.stop();
      await bus.deleteTopic(verdicts.replyTopic).catch((error: unknown) => logger.warn({ err: error }, 'could not delete the reply topic'));
    },
  };
}
