import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { consumedEvents, contextOf, createEvent, createInProcessBus, decodeEvent, type Clock, type Event } from '../../src/index.ts';
import { createMetrics, createTracing, observeBus, type Tracing } from '../../src/observability/index.ts';

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00.000Z') };
const principal = { subject: 'alice', email: 'alice@example.com', groups: [] };
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

function received(spanId?: string) {
  return createEvent('tool.call.received', { trace_id: TRACE, ...(spanId ? { span_id: spanId } : {}), gateway: 'gw', principal, portal: 'main', server: 'crm', tool: 'lookup' }, { correlation_id: 'c1', arguments_bytes: 2 }, clock);
}

describe('observeBus', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
  });

  it('with tracing off, passes events through unchanged and still measures them', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const bus = observeBus(createInProcessBus(), { metrics, tracing: createTracing({ exporter: 'none', serviceName: 'test' }), clock });
    const seen: Event[] = [];
    await bus.subscribe({ topic: 'audit', group: 'ingest' }, async (batch) => void seen.push(...batch.map((delivered) => delivered.event)));
    const event = received(CALLER_SPAN);
    await bus.publish('audit', event);
    expect(seen).toEqual([event]);
    const published = await metrics.eventsPublished.get();
    expect(published.values).toEqual([expect.objectContaining({ labels: { type: 'tool.call.received' }, value: 1 })]);
    expect((await metrics.batchEvents.get()).values.find((value) => value.metricName === 'gatehouse_bus_batch_events_count')?.value).toBe(1);
    await bus.close();
  });

  it('measures a record subscription by the types and times its handler found', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const bus = observeBus(createInProcessBus(), { metrics, clock });
    await bus.subscribeRecords({ topic: 'audit', group: 'ingest' }, async (records) => ({
      rejected: [],
      consumed: consumedEvents(records.map(({ value }) => decodeEvent(value))),
    }));
    await bus.publish('audit', received());

    expect((await metrics.eventsConsumed.get()).values).toEqual([expect.objectContaining({ labels: { group: 'ingest', type: 'tool.call.received' }, value: 1 })]);
    expect((await metrics.batchEvents.get()).values.find((value) => value.metricName === 'gatehouse_bus_batch_events_count')?.value).toBe(1);
    expect((await metrics.consumeLagSeconds.get()).values.find((value) => value.metricName === 'gatehouse_bus_consume_lag_seconds_count')?.value).toBe(1);
    await bus.close();
  });

  it('counts a failed batch, which the bus delivers again', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const bus = observeBus(createInProcessBus({ retryDelayMs: 5 }), { metrics, clock });
    let attempts = 0;
    await bus.subscribe({ topic: 'audit', group: 'ingest' }, async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('store unavailable');
    });
    await bus.publish('audit', received());
    expect(attempts).toBe(2);
    expect((await metrics.batchFailures.get()).values).toEqual([expect.objectContaining({ labels: { group: 'ingest' }, value: 1 })]);
    await bus.close();
  });

  it('with tracing on, chains producer and consumer spans through the span id the events carry, also for a record handler', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = createTracing({ exporter: 'otlp', spanExporter: exporter, serviceName: 'test' });
    const bus = observeBus(createInProcessBus(), { tracing, clock });
    const delivered: Event[] = [];
    // A worker that answers each event with a follow-up about the same call, as the DLP worker does.
    await bus.subscribe({ topic: 'invocations', group: 'worker' }, async (batch) => {
      for (const { event } of batch) await bus.publish('audit', createEvent('tool.call.received', contextOf(event), { correlation_id: 'c2', arguments_bytes: 1 }, clock));
    });
    // A consumer of records, as audit-ingest is: its spans come from the events its handler decoded.
    await bus.subscribeRecords({ topic: 'audit', group: 'ingest' }, async (records) => {
      const events = records.map(({ value }) => decodeEvent(value));
      delivered.push(...events);
      return { rejected: [], consumed: consumedEvents(events) };
    });

    await bus.publish('invocations', received(CALLER_SPAN));
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.find((span) => span.name === name)!;
    const parentOf = (name: string) => named(name).parentSpanContext?.spanId;
    expect(spans.every((span) => span.spanContext().traceId === TRACE)).toBe(true);
    expect(parentOf('send invocations')).toBe(CALLER_SPAN);
    expect(parentOf('process invocations')).toBe(named('send invocations').spanContext().spanId);
    expect(parentOf('send audit')).toBe(named('process invocations').spanContext().spanId);
    expect(parentOf('process audit')).toBe(named('send audit').spanContext().spanId);
    expect(named('process audit').attributes).toMatchObject({ 'messaging.message.id': delivered[0]!.id, 'messaging.consumer.group.name': 'ingest' });
    expect(delivered[0]!.span_id).toBe(named('send audit').spanContext().spanId);
    await bus.close();
  });
});
