import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Bus } from '../../../events/src/index.ts';
import { createMetrics, createTracing, observeBus, registerHealthRoutes, type Metrics, type ReadinessCheck, type Tracing } from '../../../events/src/observability/index.ts';
import { DEFAULT_METRICS_PORTS } from '../config/observability-config-schema.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import { GATEHOUSE_VERSION } from '../version.ts';

/** The metrics and tracing of one process, as `observability:` configures them. */
export interface RoleObservability {
  metrics: Metrics | undefined;
  tracing: Tracing;
  /** The bus, measured and traced. */
  observe(bus: Bus): Bus;
  /** Exports the spans still buffered. */
  close(): Promise<void>;
}

export function createRoleObservability(settings: RuntimeSettings, role: string): RoleObservability {
  const { metrics: metricsConfig, tracing: tracingConfig } = settings.config.observability;
  const metrics = metricsConfig.enabled ? createMetrics({ defaultLabels: { role } }) : undefined;
  const tracing = createTracing({
    exporter: tracingConfig.exporter,
    ...(tracingConfig.endpoint ? { endpoint: tracingConfig.endpoint } : {}),
    sampleRatio: tracingConfig.sample_ratio,
    serviceName: `gatehouse-${role}`,
    serviceVersion: GATEHOUSE_VERSION,
    instanceId: settings.instanceId,
  });
  return {
    metrics,
    tracing,
    observe: (bus) => observeBus(bus, { metrics, tracing, clock: systemClock }),
    close: () => tracing.shutdown(),
  };
}

/** The bus answers: a metadata round trip on Kafka (the topics exist already, so nothing is created). */
export function busReachable(bus: Bus, topics: string[]): ReadinessCheck {
  return { name: 'bus', check: () => bus.ensureTopics(topics) };
}

export interface HealthServer {
  url: string;
  /** Marks the role started (or stopping): /readyz answers 503 until then. */
  setStarted(started: boolean): void;
  close(): Promise<void>;
}

/**
 * /metrics, /healthz and /readyz of a role without an HTTP server of its own (dlp-worker,
 * audit-ingest, audit-export), on `observability.metrics.host` and `port`. Without a configured
 * port, the role's default — or, when another process on the machine holds it (two workers on one
 * development machine), any free port, logged and printed.
 */
export async function startHealthServer(input: { settings: RuntimeSettings; role: string; metrics: Metrics | undefined; checks: ReadinessCheck[]; logger: Logger }): Promise<HealthServer> {
  const { host, port: configured } = input.settings.config.observability.metrics;
  const port = configured ?? DEFAULT_METRICS_PORTS[input.role] ?? 0;
  const app = Fastify({ loggerInstance: input.logger.child({ component: 'health' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  let started = false;
  registerHealthRoutes(app, { started: () => started, checks: input.checks, metrics: input.metrics });
  const address = await app.listen({ host, port }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    if (configured !== undefined) {
      throw new Error(`${host}:${port} is already in use; set observability.metrics.port to a free port`, { cause: error });
    }
    input.logger.warn({ port }, 'the default metrics port is taken; serving /metrics, /healthz and /readyz on a free port instead');
    return app.listen({ host, port: 0 });
  });
  return {
    url: address.replace('[::1]', '127.0.0.1'),
    setStarted: (value) => {
      started = value;
    },
    close: () => app.close(),
  };
}
