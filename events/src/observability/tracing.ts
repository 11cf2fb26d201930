import { ProxyTracerProvider, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  /** `none` (the default): spans are not recorded and cost nothing. `otlp`: exported over OTLP/HTTP. */
  exporter: 'none' | 'otlp';
  /** OTLP/HTTP traces URL, e.g. `http://otel-collector:4318/v1/traces`. */
  endpoint?: string;
  /** Share of new traces recorded (0–1); a caller's sampled `traceparent` is always followed. Default 1. */
  sampleRatio?: number;
  serviceName: string;
  serviceVersion?: string;
  instanceId?: string;
  /** Receives finished spans instead of an OTLP collector (tests), each as soon as it ends. */
  spanExporter?: SpanExporter;
}

export interface Tracing {
  tracer: Tracer;
  /** False when spans are not recorded; callers then skip work that only feeds spans. */
  enabled: boolean;
  /** Exports the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * The tracer of one process. Nothing is registered globally: the tracer is passed to what
 * creates spans, and parents are given explicitly (from `traceparent`, or the `trace_id` and
 * `span_id` an event carries), so no context manager is needed.
 */
export function createTracing(options: TracingOptions): Tracing {
  const exporter = options.spanExporter ?? (options.exporter === 'otlp' ? new OTLPTraceExporter(options.endpoint ? { url: options.endpoint } : {}) : undefined);
  if (!exporter) {
    // A fresh proxy provider without a delegate hands out no-op tracers, whatever is registered globally.
    return { tracer: new ProxyTracerProvider().getTracer('gatehouse'), enabled: false, shutdown: async () => undefined };
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
      ...(options.instanceId ? { [ATTR_SERVICE_INSTANCE_ID]: options.instanceId } : {}),
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [options.spanExporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter })],
  });
  return {
    tracer: provider.getTracer('gatehouse', options.serviceVersion),
    enabled: true,
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing that records nothing: what a service uses when it is given none. */
export function tracingOff(): Tracing {
  return createTracing({ exporter: 'none', serviceName: 'gatehouse' });
}
