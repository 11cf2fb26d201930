import { z } from 'zod';

/** `observability:` — Prometheus metrics, health endpoints and OpenTelemetry traces of every role. */
export const ObservabilitySectionSchema = z
  .object({
    metrics: z
      .object({
        /** Serve /metrics (the gateway on its own port; the other roles on `port`). */
        enabled: z.boolean().default(true),
        /** Where dlp-worker, audit-ingest and audit-export serve /metrics, /healthz and /readyz. */
        host: z.string().default('127.0.0.1'),
        /** Default: the role's own (DEFAULT_METRICS_PORTS), or any free port when that one is taken. */
        port: z.number().int().min(0).max(65535).optional(),
      })
      .strict()
      .prefault({}),
    tracing: z
      .object({
        /** `none`: no spans are recorded. `otlp`: spans go to an OpenTelemetry collector over OTLP/HTTP. */
        exporter: z.enum(['none', 'otlp']).default('none'),
        /** OTLP/HTTP traces URL. Default: the exporter's own (http://localhost:4318/v1/traces, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
        endpoint: z.url({ protocol: /^https?$/ }).optional(),
        /** Share of new traces recorded; a caller's sampled traceparent is always followed. */
        sample_ratio: z.number().min(0).max(1).default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Metrics ports of the roles without an HTTP server of their own, distinct so they can share a machine. */
export const DEFAULT_METRICS_PORTS: Record<string, number> = { 'dlp-worker': 9464, 'audit-ingest': 9465, 'audit-export': 9466 };

export type ObservabilitySection = z.infer<typeof ObservabilitySectionSchema>;
