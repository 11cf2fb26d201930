import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type EachBatchPayload, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchHandler, Bus, DeliveredRecord, RejectedRecord, RejectingRecordHandler, SubscribeOptions, Subscription } from './bus.ts';
import { encodeEvent, withDecodedEvents } from './codec.ts';
import { createPublishBatcher } from './publish-batcher.ts';
import type { Event } from './events.ts';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Longest a fetch waits for data; the floor of consume latency when the topic is idle. Default 50. */
  maxWaitTimeInMs?: number;
  /**
   * Most bytes one fetch returns for one partition, which bounds the batch a handler gets; a
   * consumer that stores batches (audit-ingest) makes fewer, larger writes with more. Default
   * 1 MiB (kafkajs'). A single record larger than this is still returned.
   */
  maxBytesPerPartition?: number;
  /** Most bytes one fetch returns over all partitions. Default 10 MiB (kafkajs'). */
  maxBytes?: number;
  /** Partitions of a topic `ensureTopics` creates. Default: 3 for every topic; give reply topics 1. */
  partitionsFor?: (topic: string) => number;
  /** Partitions of one subscription processed at the same time (each still in order). Default 1. */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** First wait before a batch whose handler threw is delivered again; doubles up to 5 s. Default 200. */
  retryDelayMs?: number;
  /** Longest `subscribe` waits to join its group. Default 60 s. */
  joinTimeoutMs?: number;
}

const MAX_RETRY_DELAY_MS = 5_000;
/** The value of a record that has none (a tombstone): not an event, so rejected by the handler. */
const EMPTY_VALUE = Buffer.alloc(0);

/**
 * The bus over Apache Kafka. Publishing waits for all in-sync replicas through an idempotent
 * producer, keyed by trace id so one call's events stay in order on one partition. A
 * subscription commits a batch only after its handler resolved, and delivers it again when the
 * handler threw.
 */
export function createKafkaBus(options: KafkaBusOptions): Bus {
  const logger = options.logger.child({ component: 'kafka-bus' });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => logKafkaEntry(logger, entry),
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const admin = kafka.admin();
  const partitionsFor = options.partitionsFor ?? (() => 3);
  const subscriptions = new Set<Subscription>();
  let producerReady: Promise<void> | undefined;
  let adminReady: Promise<void> | undefined;
  let closed = false;

  const connectedProducer = async (): Promise<Producer> => {
    producerReady ??= producer.connect();
    await producerReady;
    return producer;
  };
  const connectedAdmin = async (): Promise<Admin> => {
    adminReady ??= admin.connect();
    await adminReady;
    return admin;
  };
  const send = createPublishBatcher(async (messages) => {
    const byTopic = new Map<string, Array<{ key: string; value: Buffer }>>();
    for (const { topic, key, value } of messages) {
      const list = byTopic.get(topic) ?? [];
      list.push({ key, value });
      byTopic.set(topic, list);
    }
    await (await connectedProducer()).sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
  });
  const assertOpen = () => {
    if (closed) throw new Error('the Kafka bus is closed; create a new one to publish or subscribe');
  };

  async function subscribeRecords(subscribeOptions: SubscribeOptions, handler: RejectingRecordHandler): Promise<Subscription> {
    assertOpen();
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
    const settings: ConsumerSettings = {
      logger: logger.child({ topic: subscribeOptions.topic, group: subscribeOptions.group }),
      heartbeatIntervalMs,
      concurrency: options.partitionsConsumedConcurrently ?? 1,
      retryDelayMs: options.retryDelayMs ?? 200,
      joinTimeoutMs: options.joinTimeoutMs ?? 60_000,
      sendDeadLetters: async (deadLetterTopic, records) => {
        await (await connectedProducer()).send({ topic: deadLetterTopic, acks: -1, messages: records });
      },
    };
    const newConsumer = () =>
      kafka.consumer({
        groupId: subscribeOptions.group,
        maxWaitTimeInMs: options.maxWaitTimeInMs ?? 50,
        minBytes: 1,
        maxBytesPerPartition: options.maxBytesPerPartition,
        maxBytes: options.maxBytes,
        sessionTimeout: options.sessionTimeoutMs ?? 10_000,
        heartbeatInterval: heartbeatIntervalMs,
      });
    // A broker that has just started loads its group coordinator for a while and refuses joins
    // meanwhile, on a loaded machine for longer than kafkajs' own retries: a join refused for a
    // passing reason is tried again, with a fresh consumer, until the join timeout.
    const join = async (): Promise<Subscription> => {
      const deadline = Date.now() + settings.joinTimeoutMs;
      for (let attempt = 1; ; attempt++) {
        try {
          return await startConsumer(newConsumer(), await connectedAdmin(), subscribeOptions, handler, settings);
        } catch (error) {
          if (closed || !isPassingKafkaError(error) || Date.now() >= deadline) throw error;
          settings.logger.warn({ err: error, attempt }, 'could not join the consumer group yet; trying again');
          await new Promise((resolve) => setTimeout(resolve, Math.min(settings.retryDelayMs * attempt, 2_000)));
        }
      }
    };
    const subscription = await join();
    const tracked: Subscription = {
      async stop() {
        subscriptions.delete(tracked);
        await subscription.stop();
      },
    };
    subscriptions.add(tracked);
    return tracked;
  }

  return {
    async publish(topic: string, event: Event) {
      assertOpen();
      await send({ topic, key: event.trace_id, value: encodeEvent(event) });
    },

    subscribe: (subscribeOptions: SubscribeOptions, handler: BatchHandler) => subscribeRecords(subscribeOptions, withDecodedEvents(handler)),

    subscribeRecords,

    async ensureTopics(topics: string[]) {
      assertOpen();
      const client = await connectedAdmin();
      const existing = new Set(await client.listTopics());
      const wanted = [...new Set(topics)];
      const missing = wanted.filter((topic) => !existing.has(topic));
      if (missing.length > 0) await createMissing(client, missing, partitionsFor);
      // A topic just created, here or by another process, may not have its partition leaders
      // yet; using it before then fails with "This server does not host this topic-partition".
      await waitForLeaders(client, wanted);
    },

    async deleteTopic(topic: string) {
      assertOpen();
      const client = await connectedAdmin();
      if (!(await client.listTopics()).includes(topic)) return;
      await client.deleteTopics({ topics: [topic] });
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      if (producerReady) await producer.disconnect();
      if (adminReady) await admin.disconnect();
    },
  };
}

/** A record that is not a valid event, as sent on to the dead-letter topic: unchanged, with headers saying why and whence. */
interface DeadLetter {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

interface ConsumerSettings {
  logger: Logger;
  sendDeadLetters: (topic: string, records: DeadLetter[]) => Promise<void>;
  heartbeatIntervalMs: number;
  concurrency: number;
  retryDelayMs: number;
  joinTimeoutMs: number;
}

/**
 * Runs one consumer and resolves once it is a member of its group with a starting offset fixed for
 * every assigned partition. Kafka's own "latest" reset would pick the offset at the consumer's
 * first fetch, after joining, so an event published in between would be skipped; instead, before
 * the first fetch (the topic is paused until then), partitions the group never committed are
 * committed at their current end.
 */
async function startConsumer(
  consumer: Consumer,
  admin: Admin,
  { topic, group, fromBeginning = false, deadLetterTopic, fetchAhead = false }: SubscribeOptions,
  handler: RejectingRecordHandler,
  settings: ConsumerSettings,
): Promise<Subscription> {
  const { logger } = settings;
  let ready = false;
  let failed = false;
  let joins = 0;
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const joined = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const pinStartOffsets = async (assigned: number[]) => {
    if (!fromBeginning && assigned.length > 0) {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const uncommitted = new Set(
        (committed?.partitions ?? []).filter((p) => assigned.includes(p.partition) && p.offset === '-1').map((p) => p.partition),
      );
      if (uncommitted.size > 0) {
        const ends = await admin.fetchTopicOffsets(topic);
        await consumer.commitOffsets(
          ends.filter((end) => uncommitted.has(end.partition)).map((end) => ({ topic, partition: end.partition, offset: end.high })),
        );
      }
    }
    consumer.resume([{ topic }]);
    ready = true;
    settle?.resolve();
  };

  const tryPin = (assigned: number[], join: number) => {
    if (ready || failed || join !== joins) return;
    pinStartOffsets(assigned).catch((error: unknown) => {
      // Usually a rebalance that started meanwhile, which brings a new GROUP_JOIN; otherwise retry.
      logger.warn({ err: error }, 'could not fix the starting offsets of the new subscription; retrying');
      setTimeout(() => tryPin(assigned, join), settings.retryDelayMs);
    });
  };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joins += 1;
    tryPin(payload.memberAssignment[topic] ?? [], joins);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!ready) settle?.reject(payload.error);
  });

  const retryDelays = new Map<number, number>();
  let stopping = false;
  const eachBatch = async ({ batch, resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    if (stopping || !isRunning() || isStale() || batch.messages.length === 0) return;
    const { partition } = batch;
    const records: DeliveredRecord[] = batch.messages.map(({ offset, value }) => ({ partition, offset, value: value ?? EMPTY_VALUE }));
    const firstOffset = batch.messages[0]!.offset;
    // Before the commit: a failure to send them redelivers the batch, so no poison record is lost.
    const handled = handler(records).then(async ({ rejected }) => {
      if (rejected.length > 0) await deadLetter(partition, batch.messages, rejected);
    });
    // A slow handler must not cost the consumer its group membership.
    const beating = setInterval(() => heartbeat().catch(() => undefined), settings.heartbeatIntervalMs);
    try {
      if (fetchAhead) {
        resolveOffset(batch.lastOffset());
        await handOverAhead(partition, firstOffset, batch.lastOffset(), handled);
        return;
      }
      await handled;
    } catch (error) {
      await pauseUnlessStopping(retryLater(partition, firstOffset, error), isRunning);
      return;
    } finally {
      clearInterval(beating);
    }
    retryDelays.delete(partition);
    resolveOffset(batch.lastOffset());
    await commitOffsetsIfNecessary(uncommittedOffsets());
  };

  /** Sends the records a handler rejected to the dead-letter topic, unchanged, with why and whence; without one, logs that they are skipped. */
  const deadLetter = async (partition: number, messages: EachBatchPayload['batch']['messages'], rejected: RejectedRecord[]) => {
    const poison: DeadLetter[] = rejected.map(({ index, reason }) => {
      const message = messages[index]!;
      // The reason only: the record may carry raw payloads.
      logger.error(
        { partition, offset: message.offset, reason, dead_letter_topic: deadLetterTopic },
        deadLetterTopic ? 'a record that is not a valid event goes to the dead-letter topic' : 'skipped a record that is not a valid event',
      );
      return {
        key: message.key,
        value: message.value,
        headers: {
          'gatehouse-dead-letter-reason': reason,
          'gatehouse-source-topic': topic,
          'gatehouse-source-partition': String(partition),
          'gatehouse-source-offset': message.offset,
          'gatehouse-consumer-group': group,
        },
      };
    });
    if (deadLetterTopic) await settings.sendDeadLetters(deadLetterTopic, poison);
  };

  /**
   * Delivers the partition again from `offset`; returns how long to hold it first, which doubles
   * with each failure in a row.
   */
  const retryLater = (partition: number, offset: string, error: unknown): number => {
    const delay = retryDelays.get(partition) ?? settings.retryDelayMs;
    retryDelays.set(partition, Math.min(delay * 2, MAX_RETRY_DELAY_MS));
    logger.error({ err: error, partition, offset, retryInMs: delay }, 'event handler failed; the batch will be delivered again');
    consumer.seek({ topic, partition, offset });
    return delay;
  };

  /**
   * Per partition, when the last batch handed over ahead is committed or known failed; and how many
   * of its batches failed, so that the batches handed over after a failed one, which the handler
   * fails or stores out of turn, are neither committed nor retried.
   */
  const ahead = new Map<number, Promise<void>>();
  const retriesOf = new Map<number, number>();
  const handOverAhead = async (partition: number, firstOffset: string, lastOffset: string, handled: Promise<void>) => {
    const before = ahead.get(partition);
    const retries = retriesOf.get(partition) ?? 0;
    const settled = (async () => {
      const outcome = await handled.then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      await before;
      if ((retriesOf.get(partition) ?? 0) !== retries) return;
      if (outcome) {
        retriesOf.set(partition, retries + 1);
        const delay = retryLater(partition, firstOffset, outcome.error);
        consumer.pause([{ topic, partitions: [partition] }]);
        setTimeout(() => consumer.resume([{ topic, partitions: [partition] }]), delay).unref();
        return;
      }
      retryDelays.delete(partition);
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(lastOffset) + 1n).toString() }]).catch((error: unknown) => {
        // Not committed: after a restart or rebalance the batch comes again, and the handler finds it stored.
        logger.warn({ err: error, partition, offset: lastOffset }, 'could not commit offsets; the batch may be delivered again');
      });
    })();
    ahead.set(partition, settled);
    unsettled.add(settled);
    void settled.finally(() => unsettled.delete(settled));
    // At most two batches of a partition in hand: the one being stored and the next.
    await before;
  };
  const unsettled = new Set<Promise<void>>();
  /** Until every batch handed over ahead is committed or failed, including any handed over meanwhile. */
  const drainAhead = async () => {
    while (unsettled.size > 0) await Promise.all(unsettled);
  };

  await consumer.connect();
  try {
    // Partitions the group never committed start at the beginning only when asked; otherwise
    // pinStartOffsets commits them before the first fetch.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // Ahead, resolved offsets run ahead of what is handled; they are committed here, not by kafkajs.
    const running = consumer.run({ eachBatchAutoResolve: false, autoCommit: !fetchAhead, partitionsConsumedConcurrently: settings.concurrency, eachBatch });
    consumer.pause([{ topic }]);
    await running;
    await withTimeout(joined, settings.joinTimeoutMs, `consumer group ${group} did not finish joining for topic ${topic}`);
  } catch (error) {
    failed = true;
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  logger.debug('subscribed');
  return {
    async stop() {
      if (fetchAhead) {
        stopping = true;
        consumer.pause([{ topic }]);
        await drainAhead();
      }
      await consumer.disconnect();
    },
  };
}

/** Group coordination errors a broker answers while it settles; unreachable brokers or missing topics are not among them. */
const PASSING_GROUP_ERRORS = new Set(['GROUP_LOAD_IN_PROGRESS', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR_FOR_GROUP', 'REBALANCE_IN_PROGRESS']);

/** Whether a join failed for a reason that passes by itself, also when kafkajs gave up retrying it. */
export function isPassingKafkaError(error: unknown): boolean {
  for (let at: unknown = error; at instanceof Error; at = at.cause) {
    if (PASSING_GROUP_ERRORS.has(String((at as { type?: unknown }).type))) return true;
  }
  return false;
}

/** Waits `ms`, or less once the subscription is stopping, so stop() is not held up by a retry wait. */
async function pauseUnlessStopping(ms: number, isRunning: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (isRunning() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - Date.now())));
  }
}

function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms; check that the brokers are reachable and the group is not stuck rebalancing`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Routes kafkajs' own log lines (warn and above) into the service's logger. */
function logKafkaEntry(logger: Logger, { namespace, level, log }: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
  const context = { kafkajs: namespace, ...fields };
  // kafkajs reports each retriable protocol error response (coordinator loading, rebalance in
  // progress) as an error before retrying it; a failure that outlasts the retries surfaces as a
  // rejected call or a consumer crash, which are logged as errors.
  if (namespace === 'Connection' && message.startsWith('Response ')) logger.debug(context, message);
  else if (message.includes('The group is rebalancing')) logger.info(context, message);
  else if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(context, message);
  else logger.warn(context, message);
}

async function createMissing(client: Admin, missing: string[], partitionsFor: (topic: string) => number): Promise<void> {
  try {
    await client.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitionsFor(topic) })),
    });
  } catch (error) {
    // Another process may have created some of them between listing and creating.
    const now = new Set(await client.listTopics());
    if (missing.some((topic) => !now.has(topic))) throw error;
  }
}

/** Resolves once every partition of `topics` has a leader, or throws after `timeoutMs`. */
async function waitForLeaders(client: Admin, topics: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await client.fetchTopicMetadata({ topics });
      if (metadata.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no partition leaders after ${timeoutMs} ms; check the brokers`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
