import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus, encodeEvent, topicNames, type Bus } from '../../events/src/index.ts';
import { kafkaBrokers, uniqueKafkaName } from '../../test/support/kafka.ts';
import { createAuditIngest, type AuditIngest } from '../src/index.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

// A record that is not an event must neither stop its partition nor vanish.
describe('poison records on the audit topic', () => {
  const prefix = `${uniqueKafkaName('audit-dead-letter')}.`;
  const topics = topicNames(prefix);
  const deadLetterTopic = `${topics.audit}.dead-letter`;
  const kafka = new Kafka({ clientId: 'dead-letter-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  let store: TempStore;
  let bus: Bus;
  let ingest: AuditIngest;

  beforeAll(async () => {
    store = openTempStore();
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'dead-letter-ingest', logger: pino({ level: 'silent' }), partitionsFor: () => 1 });
    ingest = createAuditIngest({ bus, topics, connection: store.connection, logger: pino({ level: 'silent' }), group: `${prefix}ingest` });
    await ingest.start();
  });
  afterAll(async () => {
    await ingest.stop();
    await bus.close();
    await store.dispose();
  });

  it('sends each to the dead-letter topic with the reason and stores the events around it', async () => {
    const [before, , after] = toolCallEvents(uniqueContext());
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topics.audit,
      messages: [
        { key: 'k', value: encodeEvent(before!) },
        { key: 'poison-1', value: Buffer.from('{"not": "an event"') },
        { key: 'poison-2', value: Buffer.from(JSON.stringify({ ...after!, version: 9 })) },
        { key: 'k', value: encodeEvent(after!) },
      ],
    });
    await producer.disconnect();

    await waitFor(async () => (await queryRows(store.connection, 'SELECT 1 FROM audit_events WHERE event_id IN {ids:Array(UUID)}', { ids: [before!.id, after!.id] })).length === 2);

    const dead = await readTopic(kafka, deadLetterTopic, 2);
    expect(dead.map((record) => [record.key, record.value, record.headers['gatehouse-source-topic'], record.headers['gatehouse-source-offset']])).toEqual([
      ['poison-1', '{"not": "an event"', topics.audit, '1'],
      ['poison-2', JSON.stringify({ ...after!, version: 9 }), topics.audit, '2'],
    ]);
    expect(dead[0]!.headers['gatehouse-dead-letter-reason']).toBe('record is not JSON');
    expect(dead[1]!.headers['gatehouse-dead-letter-reason']).toMatch(/^record is not a v1 event: version:/);
  });
});

async function readTopic(kafka: Kafka, topic: string, count: number) {
  const consumer = kafka.consumer({ groupId: uniqueKafkaName('dead-letter-reader') });
  const records: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        records.push({ key: String(message.key), value: String(message.value), headers });
        if (records.length >= count) resolve();
      },
    });
  });
  try {
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`fewer than ${count} records on ${topic}`)), 30_000))]);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
