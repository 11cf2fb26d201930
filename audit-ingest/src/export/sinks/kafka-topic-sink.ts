import { Kafka, logLevel, type Producer } from 'kafkajs';
import { ExportError } from '../export-errors.ts';
import type { ExportSink } from './export-sink.ts';

export interface KafkaTopicSinkOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  /** Partitions when this sink creates the topic. Default 3. */
  partitions?: number;
}

/**
 * Writes each record to a Kafka topic for SIEMs that consume Kafka (OCSF by default): keyed by
 * trace id so one call's records stay in order on one partition, with the record's id in the
 * `gatehouse-record-id` header. Idempotent producer, acks from all in-sync replicas. The records
 * are not events of the Gatehouse contract, so this sink has its own producer rather than the bus.
 */
export function createKafkaTopicSink(options: KafkaTopicSinkOptions): ExportSink {
  const kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let ready: Promise<void> | undefined;

  const prepare = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(options.topic)) {
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic: options.topic, numPartitions: options.partitions ?? 3 }] });
      }
    } finally {
      await admin.disconnect();
    }
    await producer.connect();
  };

  return {
    name: 'kafka',
    async deliver(items) {
      if (items.length === 0) return;
      try {
        ready ??= prepare();
        await ready;
        await producer.send({
          topic: options.topic,
          acks: -1,
          messages: items.map(({ record, line }) => ({ key: record.row.trace_id, value: line, headers: { 'gatehouse-record-id': record.uid } })),
        });
      } catch (error) {
        ready = undefined;
        throw new ExportError('GH_ERR_EXPORT_DELIVERY_FAILED', `Kafka topic ${options.topic}: ${(error as Error).message}`);
      }
    },
    async close() {
      if (ready) await producer.disconnect();
    },
  };
}
