import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, createInProcessBus, topicNames, type Bus } from '../../events/src/index.ts';
import { createAuditIngest, type AuditIngest } from '../src/index.ts';
import { fixedClock, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

interface StoredRow {
  event_id: string;
  time: string;
  type: string;
  trace_id: string;
  principal_subject: string;
  principal_email: string;
  principal_groups: string[];
  portal: string;
  server: string;
  tool: string;
  decision: string;
  correlation_id: string;
  body: string;
  kafka_topic: string;
  kafka_offset: string;
}

describe('audit ingest from the bus', () => {
  const topics = topicNames(`gatehouse-test-${Date.now()}.`);
  const logger = pino({ level: 'silent' });
  let store: TempStore;
  let bus: Bus;
  let ingest: AuditIngest;
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    store = openTempStore();
    bus = createInProcessBus({ retryDelayMs: 50, onHandlerError: (error) => handlerErrors.push(error) });
    ingest = createAuditIngest({ bus, topics, connection: store.connection, logger });
    await ingest.start();
  });
  afterAll(async () => {
    await ingest.stop();
    await bus.close();
    await store.dispose();
  });

  const rowsOfTrace = (traceId: string) =>
    queryRows<StoredRow>(store.connection, 'SELECT * FROM audit_events WHERE trace_id = {traceId:String} ORDER BY kafka_offset', { traceId });

  it('stores each published event with its principal, place, decision and trace id once publish resolves', async () => {
    const context = uniqueContext();
    const events = toolCallEvents(context);

    for (const event of events) await bus.publish(topics.audit, event);

    const rows = await rowsOfTrace(context.trace_id);
    expect(rows.map((row) => [row.event_id, row.type, row.decision])).toEqual([
      [events[0]!.id, 'tool.call.received', ''],
      [events[1]!.id, 'dlp.verdict', 'redact'],
      [events[2]!.id, 'tool.call.completed', 'redacted'],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        time: '2026-03-14 09:26:53.589',
        principal_subject: context.principal.subject,
        principal_email: context.principal.email,
        principal_groups: ['support', 'eng'],
        portal: 'default',
        server: 'customer-db',
        tool: 'lookup_customer',
        kafka_topic: topics.audit,
      });
      expect(row.correlation_id).toMatch(/^corr-/);
    }
    expect(JSON.parse(rows[1]!.body)).toEqual(events[1]!.body);
  });

  it("records an access denial with decision 'deny' and no correlation id", async () => {
    const context = uniqueContext({ server: '', tool: '' });
    const denied = createEvent('access.denied', context, { reason: 'invalid_token', detail: 'no configured token matches' }, fixedClock());

    await bus.publish(topics.audit, denied);

    const [row] = await rowsOfTrace(context.trace_id);
    expect(row).toMatchObject({ type: 'access.denied', decision: 'deny', correlation_id: '', server: '', tool: '' });
  });

  it('stores concurrent publishes, delivered as group-committed batches, exactly once each', async () => {
    const context = uniqueContext();
    const events = Array.from({ length: 40 }, () => toolCallEvents(context)).flat();

    await Promise.all(events.map((event) => bus.publish(topics.audit, event)));

    const rows = await rowsOfTrace(context.trace_id);
    expect(rows).toHaveLength(events.length);
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(events.map((event) => event.id)));
  });

  it('delivers a batch again after ClickHouse refused it, and stores it once', async () => {
    const context = uniqueContext();
    const [event] = toolCallEvents(context);
    const errorsBefore = handlerErrors.length;
    await store.connection.command({ query: 'RENAME TABLE audit_events TO audit_events_parked' });

    const publishing = bus.publish(topics.audit, event!);
    await waitFor(async () => handlerErrors.length > errorsBefore + 1);
    await store.connection.command({ query: 'RENAME TABLE audit_events_parked TO audit_events' });
    await publishing;

    expect((await rowsOfTrace(context.trace_id)).map((row) => row.event_id)).toEqual([event!.id]);
  });

  it('consumes the events published before it started, from the beginning of the topic', async () => {
    const context = uniqueContext();
    const earlyBus = createInProcessBus();
    const [event] = toolCallEvents(context);
    await earlyBus.publish(topics.audit, event!);
    const late = createAuditIngest({ bus: earlyBus, topics, connection: store.connection, logger });

    await late.start();
    await waitFor(async () => (await rowsOfTrace(context.trace_id)).length === 1);
    await late.stop();
    await earlyBus.close();

    expect((await rowsOfTrace(context.trace_id)).map((row) => row.event_id)).toEqual([event!.id]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
