import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, runReadOnlyQuery } from '../src/index.ts';
import { createContinuousExporter, createCursorFile, createKafkaTopicSink, recordFormatter } from '../src/export/index.ts';
import { kafkaBrokers, uniqueKafkaName } from '../../test/support/kafka.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, type TempStore } from './support/temp-store.ts';
import { storeEvents } from './export-support/export-rows.ts';
import { waitFor } from './export-support/wait-for.ts';

interface Received {
  key: string;
  recordId: string;
  ocsf: { class_uid: number; metadata: { uid: string; correlation_uid: string } };
}

describe('continuous export to an OCSF topic on Kafka', () => {
  const topic = uniqueKafkaName('export-ocsf');
  const received: Received[] = [];
  let dir: string;
  let store: TempStore;
  let stopConsumer: () => Promise<void>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-export-kafka-'));
    store = openTempStore();
    await migrate(store.connection);
    const kafka = new Kafka({ clientId: 'export-test-reader', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: uniqueKafkaName('export-ocsf-reader'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({
          key: message.key?.toString() ?? '',
          recordId: message.headers?.['gatehouse-record-id']?.toString() ?? '',
          ocsf: JSON.parse(message.value?.toString() ?? '{}'),
        });
      },
    });
    stopConsumer = () => consumer.disconnect();
  });
  afterAll(async () => {
    await stopConsumer?.();
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each record once as an OCSF event keyed by trace id', async () => {
    const events = Array.from({ length: 3 }, () => toolCallEvents(uniqueContext())).flat();
    await storeEvents(store.connection, events);
    const sink = createKafkaTopicSink({ brokers: kafkaBrokers(), clientId: 'export-test', topic });
    const exporter = createContinuousExporter({
      read: (sql) => runReadOnlyQuery(store.connection, sql),
      sink,
      format: recordFormatter('ocsf', { productVersion: 'test' }),
      cursor: createCursorFile(path.join(dir, 'kafka.cursor')),
      logger: pino({ level: 'silent' }),
      pageSize: 4,
      settleMs: 0,
      pollIntervalMs: 50,
    });
    await exporter.start();
    try {
      await waitFor(async () => received.length, (count) => count >= 9, 'the OCSF topic holding 9 records', 60_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await exporter.stop();
      await sink.close();
    }

    const expected = events.map((event) => (event.type === 'dlp.verdict' ? `${event.id}/0` : event.id));
    expect(received.map((message) => message.recordId).sort()).toEqual([...expected].sort());
    for (const message of received) {
      expect(message.ocsf.metadata.uid).toBe(message.recordId);
      expect(message.key).toBe(message.ocsf.metadata.correlation_uid);
      expect([6003, 2006]).toContain(message.ocsf.class_uid);
    }
  });
});
