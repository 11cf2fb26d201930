import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createEvent, ANONYMOUS, type Bus, type Clock, type Topics } from '../../events/src/index.ts';
import { createToolCallPipeline } from './call-tool.ts';
import { createStaticTokenAuthenticator, type StaticToken } from './identity/static-token-authenticator.ts';
import { registerMcpEndpoint, type McpEndpointOptions, type McpPortal } from './mcp-endpoint.ts';
import { createToolCatalog } from './tool-catalog.ts';
import { connectUpstream as connectUpstreamDefault, type UpstreamConnection, type UpstreamSpec } from './upstream/index.ts';
import { createVerdictClient } from './verdict-client.ts';

export interface GatewayPortal {
  name: string;
  dlpProfile: string;
  toolPrefix: boolean;
  toolSeparator: string;
  servers: UpstreamSpec[];
}

export interface GatewayOptions {
  portals: GatewayPortal[];
  tokens: StaticToken[];
  bus: Bus;
  topics: Topics;
  clock: Clock;
  logger: Logger;
  /** Names this instance in events and its reply topic; unique among running gateways. */
  instanceId: string;
  verdictTimeoutMs: number;
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  serverVersion: string;
  connectUpstream?: (spec: UpstreamSpec, logger: Logger) => Promise<UpstreamConnection>;
}

export interface Gateway {
  app: FastifyInstance;
  /** Connects the reply channel and the upstreams; the gateway is ready afterwards. */
  start(): Promise<void>;
  /** Starts listening; resolves with the base URL. */
  listen(host: string, port: number): Promise<string>;
  /** Stops taking requests, lets those in flight finish, then releases upstreams and the reply channel. */
  close(): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { bus, topics, clock, logger, instanceId } = options;
  const connectUpstream = options.connectUpstream ?? connectUpstreamDefault;
  const verdicts = createVerdictClient({ bus, topics, instanceId, timeoutMs: options.verdictTimeoutMs, clock, logger });
  const callTool = createToolCallPipeline({ bus, topics, verdicts, instanceId, clock, logger, upstreamTimeoutMs: options.upstreamTimeoutMs });
  const portals: McpPortal[] = options.portals.map((portal) => ({
    name: portal.name,
    dlpProfile: portal.dlpProfile,
    catalog: createToolCatalog({
      portal: portal.name,
      prefix: portal.toolPrefix,
      separator: portal.toolSeparator,
      logger,
      servers: portal.servers.map((spec) => ({ name: spec.name, connect: () => connectUpstream(spec, logger.child({ upstream: spec.name })) })),
    }),
  }));

  const auditDenial: McpEndpointOptions['auditDenial'] = async (denial) => {
    const event = createEvent(
      'access.denied',
      { trace_id: denial.traceId ?? crypto.randomUUID().replaceAll('-', ''), gateway: instanceId, principal: denial.principal ?? ANONYMOUS, portal: denial.portal, tool: denial.tool ?? '' },
      { reason: denial.reason, detail: denial.detail },
      clock,
    );
    await bus.publish(topics.audit, event).catch((error: unknown) => logger.error({ err: error }, 'could not audit a denied request'));
  };

  const app = Fastify({ loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: options.maxBodyBytes });
  let ready = false;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' }));
  const registered = registerMcpEndpoint(app, {
    portals,
    authenticate: createStaticTokenAuthenticator(options.tokens),
    callTool,
    auditDenial,
    maxBodyBytes: options.maxBodyBytes,
    serverVersion: options.serverVersion,
    logger,
  });

  return {
    app,
    async start() {
      await registered;
      await verdicts.start();
      await Promise.all(portals.map((portal) => portal.catalog.start()));
      await app.ready();
      ready = true;
    },
    async listen(host, port) {
      const address = await app.listen({ host, port }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new Error(`${host}:${port} is already in use; stop what listens there, or choose another port (--port N or PORT)`, { cause: error });
      });
      return address.replace('[::1]', '127.0.0.1');
    },
    async close() {
      ready = false;
      await app.close();
      await Promise.all(portals.map((portal) => portal.catalog.close()));
      await verdicts.stop();
      await bus.deleteTopic(verdicts.replyTopic).catch((error: unknown) => logger.warn({ err: error }, 'could not delete the reply topic'));
    },
  };
}
