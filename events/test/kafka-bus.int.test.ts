import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueKafkaName } from '../../test/support/kafka.ts';
import { consumedEvents, createEvent, createKafkaBus, decodeEvent, encodeEvent, systemClock, type Bus, type DeliveredEvent, type DeliveredRecord, type Event } from '../src/index.ts';

const open: Bus[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

function newBus(options: { partitions?: number } = {}) {
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const bus = createKafkaBus({
    brokers: kafkaBrokers(),
    clientId: 'kafka-bus-test',
    logger,
    partitionsFor: () => options.partitions ?? 3,
  });
  open.push(bus);
  return { bus, logLines };
}

function toolCall(traceId: string = randomUUID()): Event {
  return createEvent(
    'tool.call.received',
    { trace_id: traceId, gateway: 'gw-test', principal: { subject: 'alice', email: '', groups: [] } },
    { correlation_id: randomUUID(), arguments_bytes: 12 },
    systemClock,
  );
}

/** A handler that records what it was given. */
function recorder() {
  const batches: DeliveredEvent[][] = [];
  return {
    batches,
    ids: () => batches.flat().map((delivered) => delivered.event.id),
    handler: async (batch: DeliveredEvent[]) => {
      batches.push(batch);
    },
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Kafka bus', () => {
  it('delivers a published event to a subscriber unchanged', async () => {
    const { bus } = newBus();
    const topic = uniqueKafkaName('round-trip');
    await bus.ensureTopics([topic]);
    const received = recorder();
    await bus.subscribe({ topic, group: uniqueKafkaName('group') }, received.handler);

    const event = toolCall();
    await bus.publish(topic, event);

    await waitFor(() => received.batches.length > 0, 'the event');
    const [delivered] = received.batches.flat();
    expect(delivered?.event).toEqual(event);
    expect(delivered?.offset).toBe('0');
    expect(delivered?.partition).toBeGreaterThanOrEqual(0);
  });

  it('splits a topic between the members of one group and gives every group every event', async () => {
    const { bus } = newBus({ partitions: 3 });
    const topic = uniqueKafkaName('groups');
    await bus.ensureTopics([topic]);
    const shared = uniqueKafkaName('workers');
    const first = recorder();
    const second = recorder();
    const other = recorder();
    await bus.subscribe({ topic, group: shared }, first.handler);
    await bus.subscribe({ topic, group: shared }, second.handler);
    await bus.subscribe({ topic, group: uniqueKafkaName('auditors') }, other.handler);

    const events = Array.from({ length: 30 }, () => toolCall());
    for (const event of events) await bus.publish(topic, event);
    const all = events.map((event) => event.id).sort();

    await waitFor(() => first.ids().length + second.ids().length >= 30 && other.ids().length >= 30, 'all events in both groups');
    expect([...first.ids(), ...second.ids()].sort()).toEqual(all);
    expect(first.ids().length).toBeGreaterThan(0);
    expect(second.ids().length).toBeGreaterThan(0);
    expect([...other.ids()].sort()).toEqual(all);
  });

  it('delivers a batch again when its handler throws, loses nothing after it, and commits once it succeeds', async () => {
    const { bus, logLines } = newBus({ partitions: 1 });
    const topic = uniqueKafkaName('redelivery');
    const group = uniqueKafkaName('group');
    await bus.ensureTopics([topic]);
    const calls: string[][] = [];
    let failures = 0;
    const subscription = await bus.subscribe({ topic, group }, async (batch) => {
      calls.push(batch.map((delivered) => delivered.event.id));
      if (failures === 0) {
        failures += 1;
        throw new Error('store unavailable');
      }
    });

    const firstEvent = toolCall();
    await bus.publish(topic, firstEvent);
    await waitFor(() => failures === 1, 'the failing call');
    const secondEvent = toolCall();
    await bus.publish(topic, secondEvent);

    await waitFor(() => calls.flat().includes(secondEvent.id), 'the later event');
    expect(calls[0]).toEqual([firstEvent.id]);
    expect(calls[1]?.[0]).toBe(firstEvent.id);
    expect(calls.flat().filter((id) => id === secondEvent.id)).toHaveLength(1);
    expect(logLines.some((line) => line.includes('event handler failed'))).toBe(true);

    // Committed: the same group, subscribing again, starts after both events.
    await subscription.stop();
    const again = recorder();
    await bus.subscribe({ topic, group }, again.handler);
    const thirdEvent = toolCall();
    await bus.publish(topic, thirdEvent);
    await waitFor(() => again.ids().includes(thirdEvent.id), 'the event after resubscribing');
    expect(again.ids()).toEqual([thirdEvent.id]);
  });

  it('fetching ahead: hands over the next batch before the one before is stored, commits only what is stored, and redelivers from a failed batch', async () => {
    const { bus } = newBus({ partitions: 1 });
    const topic = uniqueKafkaName('fetch-ahead');
    const group = uniqueKafkaName('group');
    await bus.ensureTopics([topic]);
    const calls: string[][] = [];
    const results: Array<PromiseWithResolvers<void>> = [];
    const subscription = await bus.subscribe({ topic, group, fetchAhead: true }, (batch) => {
      calls.push(batch.map((delivered) => delivered.event.id));
      const result = Promise.withResolvers<void>();
      results.push(result);
      // The redelivery after the failure is stored at once.
      if (calls.length > 2) result.resolve();
      return result.promise;
    });

    const [first, second] = [toolCall(), toolCall()];
    await bus.publish(topic, first);
    await waitFor(() => calls.length === 1, 'the first batch');
    await bus.publish(topic, second);
    await waitFor(() => calls.length === 2, 'the second batch, handed over while the first is unsettled');
    expect(calls).toEqual([[first.id], [second.id]]);
    // Where the group started; nothing handed over is committed yet.
    expect(await committedOffset(group, topic)).toBe('0');

    // The second is stored, but the first failed: neither is committed, and both come again.
    results[1]!.resolve();
    results[0]!.reject(new Error('store unavailable'));
    await waitFor(() => calls.flat().filter((id) => id === second.id).length === 2, 'the redelivery');
    expect(calls.slice(2).flat()).toEqual([first.id, second.id]);
    await subscription.stop();
    expect(await committedOffset(group, topic)).toBe('2');
  });

  it('skips a record that is not an event, logs why without its content, and delivers the next event', async () => {
    const { bus, logLines } = newBus({ partitions: 1 });
    const topic = uniqueKafkaName('undecodable');
    await bus.ensureTopics([topic]);
    const received = recorder();
    await bus.subscribe({ topic, group: uniqueKafkaName('group') }, received.handler);

    const raw = new Kafka({ clientId: 'kafka-bus-test-raw', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await raw.connect();
    try {
      await raw.send({ topic, messages: [{ value: JSON.stringify({ type: 'tool.call.received', secret: 'tok_live_do_not_log' }) }] });
      await raw.send({ topic, messages: [{ value: 'not json at all' }] });
    } finally {
      await raw.disconnect();
    }
    const event = toolCall();
    await bus.publish(topic, event);

    await waitFor(() => received.ids().includes(event.id), 'the valid event');
    expect(received.batches.flat()).toEqual([{ event, partition: 0, offset: '2' }]);
    const skipped = logLines.filter((line) => line.includes('skipped a record'));
    expect(skipped).toHaveLength(2);
    expect(skipped.some((line) => line.includes('record is not JSON'))).toBe(true);
    expect(skipped.some((line) => line.includes('record is not a v1 event'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('tok_live_do_not_log');
  });

  it('hands a record handler the bytes as published, and sends the records it rejects to the dead-letter topic with why', async () => {
    const { bus } = newBus({ partitions: 1 });
    const topic = uniqueKafkaName('records');
    const deadLetterTopic = `${topic}.dead-letter`;
    await bus.ensureTopics([topic, deadLetterTopic]);
    const seen: DeliveredRecord[] = [];
    await bus.subscribeRecords({ topic, group: uniqueKafkaName('group'), deadLetterTopic }, async (records) => {
      seen.push(...records);
      return { rejected: records.flatMap((record, index) => (decodeEvent(record.value).type === 'access.denied' ? [{ index, reason: 'no denials here' }] : [])), consumed: consumedEvents([]) };
    });
    const kept = toolCall();
    const denied = createEvent('access.denied', { trace_id: kept.trace_id, gateway: 'gw-test', principal: kept.principal }, { reason: 'unknown_tool', detail: 'x' }, systemClock);
    await bus.publish(topic, kept);
    await bus.publish(topic, denied);

    const dead: Array<{ value: string; headers: Record<string, string> }> = [];
    const reader = new Kafka({ clientId: 'kafka-bus-test-dead', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({ groupId: uniqueKafkaName('dead-reader') });
    await reader.connect();
    try {
      await reader.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
          dead.push({ value: String(message.value), headers });
        },
      });
      await waitFor(() => dead.length === 1, 'the dead letter');
    } finally {
      await reader.disconnect();
    }
    expect(seen.map(({ offset, value }) => ({ offset, value: value.toString() }))).toEqual([
      { offset: '0', value: encodeEvent(kept).toString() },
      { offset: '1', value: encodeEvent(denied).toString() },
    ]);
    expect(dead[0]!.value).toBe(encodeEvent(denied).toString());
    expect(dead[0]!.headers).toMatchObject({ 'gatehouse-dead-letter-reason': 'no denials here', 'gatehouse-source-offset': '1', 'gatehouse-source-topic': topic });
  });

  it('keeps the order of events with the same trace id, however publishes interleave', async () => {
    const { bus } = newBus({ partitions: 3 });
    const topic = uniqueKafkaName('ordering');
    await bus.ensureTopics([topic]);
    const received = recorder();
    await bus.subscribe({ topic, group: uniqueKafkaName('group') }, received.handler);

    const traces = [randomUUID(), randomUUID(), randomUUID()];
    const events = Array.from({ length: 60 }, (_, i) => toolCall(traces[i % traces.length]));
    await Promise.all(events.map((event) => bus.publish(topic, event)));

    await waitFor(() => received.ids().length >= events.length, 'all events');
    for (const trace of traces) {
      const sent = events.filter((event) => event.trace_id === trace).map((event) => event.id);
      const got = received.batches.flat().filter((delivered) => delivered.event.trace_id === trace);
      expect(got.map((delivered) => delivered.event.id)).toEqual(sent);
      expect(new Set(got.map((delivered) => delivered.partition)).size).toBe(1);
    }
  });

  it('resolves subscribe only when ready: an event published right after it arrives, earlier ones do not', async () => {
    const { bus } = newBus({ partitions: 3 });
    const topic = uniqueKafkaName('ready');
    await bus.ensureTopics([topic]);
    const before = toolCall();
    await bus.publish(topic, before);

    for (let round = 0; round < 5; round++) {
      const received = recorder();
      await bus.subscribe({ topic, group: uniqueKafkaName('group') }, received.handler);
      const after = toolCall();
      await bus.publish(topic, after);
      await waitFor(() => received.ids().includes(after.id), `the event published right after subscribing (round ${round})`);
      expect(received.ids()).not.toContain(before.id);
    }
  });

  it('starts a new group at the beginning of the topic when asked', async () => {
    const { bus } = newBus({ partitions: 1 });
    const topic = uniqueKafkaName('from-beginning');
    await bus.ensureTopics([topic]);
    const earlier = toolCall();
    await bus.publish(topic, earlier);

    const received = recorder();
    await bus.subscribe({ topic, group: uniqueKafkaName('group'), fromBeginning: true }, received.handler);
    await waitFor(() => received.ids().includes(earlier.id), 'the earlier event');
    expect(received.ids()).toEqual([earlier.id]);
  });

  it('creates missing topics with the partitions asked for and deletes them', async () => {
    const topic = uniqueKafkaName('topics');
    const reply = uniqueKafkaName('reply');
    const { bus } = newBus();
    const admin = new Kafka({ clientId: 'kafka-bus-test-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const partitioned = createKafkaBus({
        brokers: kafkaBrokers(),
        clientId: 'kafka-bus-test',
        logger: pino({ level: 'silent' }),
        partitionsFor: (name) => (name === reply ? 1 : 4),
      });
      open.push(partitioned);
      await partitioned.ensureTopics([topic, reply]);
      await partitioned.ensureTopics([topic]);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic, reply] });
      const counts = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      expect(counts).toEqual({ [topic]: 4, [reply]: 1 });

      await bus.deleteTopic(reply);
      await bus.deleteTopic(reply);
      let listed = await admin.listTopics();
      for (let i = 0; i < 40 && listed.includes(reply); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        listed = await admin.listTopics();
      }
      expect(listed).not.toContain(reply);
      expect(listed).toContain(topic);
    } finally {
      await admin.disconnect();
    }
  });
});

/** The offset `group` committed for partition 0 of `topic`. */
async function committedOffset(group: string, topic: string): Promise<string> {
  const admin = new Kafka({ clientId: 'kafka-bus-test-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return committed?.partitions.find((partition) => partition.partition === 0)?.offset ?? '-1';
  } finally {
    await admin.disconnect();
  }
}
