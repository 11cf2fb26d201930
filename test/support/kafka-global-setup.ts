import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { defaultKafkaCacheDir, kafkaVersion } from '../../deploy/kafka/kafka-jars.ts';
import { startLocalKafka } from '../../deploy/kafka/local-kafka.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** Bootstrap addresses of the one Kafka broker this test run shares. */
    kafkaBrokers: string[];
  }
}

/**
 * Starts one Kafka broker for the whole test run, on free ports in a temporary data dir, and
 * stops it afterwards. Tests read its address with `kafkaBrokers()` (test/support/kafka.ts);
 * child processes with GATEHOUSE_TEST_KAFKA_BROKERS. When that variable is already set, the
 * broker it names is used instead and nothing is started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.GATEHOUSE_TEST_KAFKA_BROKERS;
  if (given) {
    project.provide('kafkaBrokers', given.split(','));
    return async () => {};
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-test-kafka-'));
  const started = Date.now();
  const kafka = await startLocalKafka({
    dataDir,
    cacheDir: defaultKafkaCacheDir(process.env, await kafkaVersion()),
    ownerPid: process.pid,
  });
  console.log(`test Kafka broker ${kafka.brokers.join(',')} ready in ${Date.now() - started} ms (data in ${dataDir})`);
  project.provide('kafkaBrokers', kafka.brokers);
  process.env.GATEHOUSE_TEST_KAFKA_BROKERS = kafka.brokers.join(',');

  return async () => {
    await kafka.stop();
    delete process.env.GATEHOUSE_TEST_KAFKA_BROKERS;
    await rm(dataDir, { recursive: true, force: true });
  };
}
