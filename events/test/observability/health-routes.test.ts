import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createMetrics, registerHealthRoutes } from '../../src/observability/index.ts';

describe('health routes', () => {
  it('answer /readyz 503 until started, then 200 only while every check passes, naming the failing one', async () => {
    const app = Fastify();
    let started = false;
    let storeUp = true;
    registerHealthRoutes(app, {
      started: () => started,
      checks: [
        { name: 'bus', check: async () => undefined },
        { name: 'store', check: async () => (storeUp ? undefined : Promise.reject(new Error('connection refused'))) },
        { name: 'slow', check: () => new Promise((resolve) => setTimeout(resolve, 10)) },
      ],
      checkTimeoutMs: 5_000,
      metrics: createMetrics({ processMetrics: false }),
    });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    started = true;
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { bus: 'ok', store: 'ok', slow: 'ok' } });
    storeUp = false;
    const down = await app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'not ready', checks: { bus: 'ok', store: 'connection refused', slow: 'ok' } });
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('# TYPE gatehouse_tool_calls_total counter');
    await app.close();
  });

  it('counts a check that does not answer in time as failed', async () => {
    const app = Fastify();
    registerHealthRoutes(app, { started: () => true, checks: [{ name: 'bus', check: () => new Promise(() => undefined) }], checkTimeoutMs: 20 });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.bus).toBe('no answer within 20 ms');
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    await app.close();
  });
});
