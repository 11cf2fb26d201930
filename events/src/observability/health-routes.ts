import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

/** One dependency a role needs to do its work: resolves when reachable, throws why not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  /** `ok`, or why the check failed. */
  checks: Record<string, string>;
}

export interface HealthRoutesOptions {
  /** False until the role finished starting, and again once it stops. */
  started: () => boolean;
  checks: ReadinessCheck[];
  /** Longest one check may take before it counts as failed. Default 2000. */
  checkTimeoutMs?: number;
  /** Serves /metrics when given. */
  metrics?: Metrics;
}

/** Runs every check at once; a check that does not answer in time counts as failed. */
export async function checkReadiness(checks: ReadinessCheck[], timeoutMs = 2_000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'];
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, result]) => result === 'ok'), checks: Object.fromEntries(results) };
}

/**
 * /healthz (the process is alive and serving HTTP), /readyz (started, and every dependency it
 * needs answers now: 503 with the failing checks otherwise) and /metrics (Prometheus text format).
 * A role's config was validated before it started; a broken edit never replaces it.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (!options.started()) return reply.status(503).send({ status: 'starting', checks: {} });
    const report = await checkReadiness(options.checks, options.checkTimeoutMs);
    return reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not ready', checks: report.checks });
  });
  const { metrics } = options;
  if (metrics) {
    app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  }
}
