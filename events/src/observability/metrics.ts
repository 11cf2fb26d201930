import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from a fast in-process verdict (~1 ms) to the longest configurable verdict timeout. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000];

export interface MetricsOptions {
  /** Labels on every series of this process, e.g. `{ role: 'gateway', instance_id: 'gw-1' }`. */
  defaultLabels?: Record<string, string>;
  /** Node.js process metrics (CPU, memory, event loop lag, GC). Default true. */
  processMetrics?: boolean;
}

/**
 * Every Prometheus series Gatehouse exports, in one registry per process (never prom-client's
 * global one, so two pipelines in one test process do not collide). Labels name portals, servers,
 * tools, decisions and consumer groups — values from the config, never from a caller or a payload.
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'gatehouse_' });
  const registers = [registry];

  return {
    registry,

    // gateway
    mcpRequests: new Counter({
      name: 'gatehouse_mcp_requests_total',
      help: 'HTTP requests to the MCP endpoint, by portal, method and status code.',
      labelNames: ['portal', 'method', 'status'] as const,
      registers,
    }),
    toolCalls: new Counter({
      name: 'gatehouse_tool_calls_total',
      help: 'tools/call handled by the gateway, by portal, server, tool and outcome (allowed, redacted, blocked, refused, upstream_error).',
      labelNames: ['portal', 'server', 'tool', 'outcome'] as const,
      registers,
    }),
    toolCallSeconds: new Histogram({
      name: 'gatehouse_tool_call_seconds',
      help: 'Time from a tools/call reaching the gateway to its answer, including both verdicts and the upstream.',
      labelNames: ['portal', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    verdicts: new Counter({
      name: 'gatehouse_gateway_verdicts_total',
      help: 'DLP verdicts the gateway waited for, by direction and decision (allow, block, redact, timeout, unavailable).',
      labelNames: ['direction', 'decision'] as const,
      registers,
    }),
    verdictSeconds: new Histogram({
      name: 'gatehouse_gateway_verdict_seconds',
      help: 'Round trip of one DLP verdict as the gateway sees it: publish the payload, wait for the answer.',
      labelNames: ['direction', 'decision'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    denials: new Counter({
      name: 'gatehouse_gateway_denials_total',
      help: 'Requests refused before any tool ran, by reason (invalid_token, portal_denied, unknown_tool, …).',
      labelNames: ['reason'] as const,
      registers,
    }),

    // DLP worker (derived from the dlp.verdict events it publishes)
    dlpDecisions: new Counter({
      name: 'gatehouse_dlp_decisions_total',
      help: 'Verdicts decided by DLP workers, by direction, decision and profile.',
      labelNames: ['direction', 'decision', 'profile'] as const,
      registers,
    }),
    dlpScanSeconds: new Histogram({
      name: 'gatehouse_dlp_scan_seconds',
      help: 'Time a DLP worker spent scanning one payload.',
      labelNames: ['direction'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    dlpFindings: new Counter({
      name: 'gatehouse_dlp_findings_total',
      help: 'DLP findings, by detector and action (block, redact, audit).',
      labelNames: ['detector', 'action'] as const,
      registers,
    }),

    // bus (every role)
    eventsPublished: new Counter({
      name: 'gatehouse_bus_events_published_total',
      help: 'Events published on the bus, by event type.',
      labelNames: ['type'] as const,
      registers,
    }),
    publishSeconds: new Histogram({
      name: 'gatehouse_bus_publish_seconds',
      help: 'Produce latency: from publish to durable (acks=all on Kafka; processed by every group in-process).',
      labelNames: ['type'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    publishFailures: new Counter({
      name: 'gatehouse_bus_publish_failures_total',
      help: 'Publishes that failed (broker unreachable, not enough in-sync replicas, bus closed).',
      labelNames: ['type'] as const,
      registers,
    }),
    eventsConsumed: new Counter({
      name: 'gatehouse_bus_events_consumed_total',
      help: 'Events handed to a handler, by consumer group and event type (redeliveries count again).',
      labelNames: ['group', 'type'] as const,
      registers,
    }),
    consumeLagSeconds: new Histogram({
      name: 'gatehouse_bus_consume_lag_seconds',
      help: 'Consume lag: from an event being created to a handler of the group receiving it.',
      labelNames: ['group'] as const,
      buckets: [...LATENCY_BUCKETS, 120, 300, 900, 3_600],
      registers,
    }),
    batchEvents: new Histogram({
      name: 'gatehouse_bus_batch_events',
      help: 'Events per delivered batch, by consumer group (for audit-ingest: rows per ClickHouse insert).',
      labelNames: ['group'] as const,
      buckets: BATCH_BUCKETS,
      registers,
    }),
    batchFailures: new Counter({
      name: 'gatehouse_bus_batch_failures_total',
      help: 'Batches whose handler threw and that will be delivered again (for audit-ingest: refused inserts).',
      labelNames: ['group'] as const,
      registers,
    }),

    // audit export
    exportCursorSeconds: new Gauge({
      name: 'gatehouse_export_cursor_timestamp_seconds',
      help: 'ingested_at of the last row a receiver took (Unix seconds); lag = time() - this.',
      labelNames: ['sink'] as const,
      registers,
    }),
    exportPages: new Counter({
      name: 'gatehouse_export_pages_total',
      help: 'Pages a receiver took.',
      labelNames: ['sink'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
