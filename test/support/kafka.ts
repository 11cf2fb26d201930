import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** Bootstrap addresses of the test run's Kafka broker (started by kafka-global-setup.ts). */
export function kafkaBrokers(): string[] {
  const brokers = inject('kafkaBrokers');
  if (!brokers || brokers.length === 0) {
    throw new Error('no test Kafka broker: run vitest with the repository config (vitest.config.ts), whose globalSetup starts one');
  }
  return brokers;
}

/** A topic or group name no other test uses, e.g. `test.kafka-bus.round-trip.3f2c…`. */
export function uniqueKafkaName(purpose: string): string {
  return `test.${purpose}.${randomUUID()}`;
}
