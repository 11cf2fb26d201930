import { ROOT_CONTEXT, TraceFlags, isSpanContextValid, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * The context a span continues from: a remote parent named by a W3C trace id and span id (from a
 * client's `traceparent`, or the `trace_id` and `span_id` of an event), or none.
 */
export function remoteParent(traceId: string | undefined, spanId: string | undefined, sampled = true): Context {
  if (!traceId || !spanId) return ROOT_CONTEXT;
  const spanContext = { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

/** The span id events published under `span` carry, when the span is recorded; otherwise none. */
export function recordedSpanId(span: Span): string | undefined {
  const context = span.spanContext();
  return span.isRecording() && isSpanContextValid(context) ? context.spanId : undefined;
}

/** The trace id of `span` when it has a valid one (recorded, or continuing a caller's trace). */
export function validTraceId(span: Span): string | undefined {
  const context = span.spanContext();
  return isSpanContextValid(context) ? context.traceId : undefined;
}
