import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { BatchHandler, Bus, RecordBatchHandler, RecordBatchResult } from '../bus.ts';
import type { Clock } from '../clock.ts';
import type { Event } from '../events.ts';
import { observePublishedEvent } from './event-metrics.ts';
import type { Metrics } from './metrics.ts';
import { recordedSpanId, remoteParent } from './trace-context.ts';
import type { Tracing } from './tracing.ts';

export interface BusObservers {
  metrics?: Metrics;
  tracing?: Tracing;
  clock: Clock;
}

/**
 * The same bus, measured and traced: produce latency and failures, consume lag, batch sizes and
 * handler failures per consumer group; with tracing on, a producer span per published event and a
 * consumer span per delivered event. An event names the span it was published under (`span_id`),
 * so the consumer's span — in another process — continues the same trace, and events published
 * while handling it continue from the consumer's span.
 */
export function observeBus(bus: Bus, observers: BusObservers): Bus {
  const { metrics, clock } = observers;
  const tracing = observers.tracing?.enabled ? observers.tracing : undefined;
  /** Consumer spans of the batches being handled, by the trace and span their event named. */
  const handling = new Map<string, Span>();
  const keyOf = (event: Event) => `${event.trace_id}/${event.span_id}`;

  function producerSpan(topic: string, event: Event): Span | undefined {
    if (!tracing || !event.span_id) return undefined;
    const parent = handling.get(keyOf(event));
    const context = parent ? trace.setSpan(ROOT_CONTEXT, parent) : remoteParent(event.trace_id, event.span_id);
    return tracing.tracer.startSpan(`send ${topic}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, event, 'send') }, context);
  }

  const wrapHandler = (topic: string, group: string, handler: BatchHandler): BatchHandler => async (batch) => {
    const now = clock.now();
    metrics?.batchEvents.observe({ group }, batch.length);
    const spans: Array<[string, Span]> = [];
    for (const { event } of batch) {
      metrics?.eventsConsumed.inc({ group, type: event.type });
      metrics?.consumeLagSeconds.observe({ group }, Math.max(0, now - Date.parse(event.time)) / 1000);
      if (tracing && event.span_id) {
        const span = tracing.tracer.startSpan(
          `process ${topic}`,
          { kind: SpanKind.CONSUMER, attributes: { ...messagingAttributes(topic, event, 'process'), 'messaging.consumer.group.name': group } },
          remoteParent(event.trace_id, event.span_id),
        );
        spans.push([keyOf(event), span]);
        handling.set(keyOf(event), span);
      }
    }
    try {
      await handler(batch);
    } catch (error) {
      metrics?.batchFailures.inc({ group });
      for (const [, span] of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: 'handler failed; the batch is delivered again' });
      throw error;
    } finally {
      for (const [key, span] of spans) {
        if (handling.get(key) === span) handling.delete(key);
        span.end();
      }
    }
  };

  /**
   * Records are decoded by the handler, perhaps on another thread: their types, times and spans
   * come from its result, and the consumer spans are recorded once it resolved, from when it began.
   */
  const wrapRecordHandler = (topic: string, group: string, handler: RecordBatchHandler): RecordBatchHandler => async (records) => {
    const now = clock.now();
    const began = new Date(now);
    metrics?.batchEvents.observe({ group }, records.length);
    let result: RecordBatchResult;
    try {
      result = await handler(records);
    } catch (error) {
      metrics?.batchFailures.inc({ group });
      throw error;
    }
    const { types, times, traced } = result.consumed;
    if (metrics) {
      for (let i = 0; i < types.length; i += 1) {
        metrics.eventsConsumed.inc({ group, type: types[i]! });
        metrics.consumeLagSeconds.observe({ group }, Math.max(0, now - times[i]!) / 1000);
      }
    }
    for (const event of tracing ? traced : []) {
      tracing!.tracer
        .startSpan(
          `process ${topic}`,
          { kind: SpanKind.CONSUMER, startTime: began, attributes: { ...messagingAttributes(topic, event, 'process'), 'messaging.consumer.group.name': group } },
          remoteParent(event.traceId, event.spanId),
        )
        .end();
    }
    return result;
  };

  return {
    async publish(topic, event) {
      const span = producerSpan(topic, event);
      const spanId = span && recordedSpanId(span);
      const sent = spanId ? { ...event, span_id: spanId } : event;
      const started = clock.now();
      try {
        await bus.publish(topic, sent);
      } catch (error) {
        metrics?.publishFailures.inc({ type: event.type });
        span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span?.end();
      }
      if (metrics) {
        metrics.eventsPublished.inc({ type: event.type });
        metrics.publishSeconds.observe({ type: event.type }, (clock.now() - started) / 1000);
        observePublishedEvent(metrics, event);
      }
    },
    subscribe: (options, handler) => bus.subscribe(options, wrapHandler(options.topic, options.group, handler)),
    subscribeRecords: (options, handler) => bus.subscribeRecords(options, wrapRecordHandler(options.topic, options.group, handler)),
    ensureTopics: (topics) => bus.ensureTopics(topics),
    deleteTopic: (topic) => bus.deleteTopic(topic),
    close: () => bus.close(),
  };
}

function messagingAttributes(topic: string, event: { id: string; type: string }, operation: 'send' | 'process') {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.destination.name': topic,
    'messaging.message.id': event.id,
    'gatehouse.event.type': event.type,
  };
}
