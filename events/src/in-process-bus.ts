import type { BatchHandler, Bus, DeliveredEvent, SubscribeOptions, Subscription } from './bus.ts';
import { encodeEvent } from './codec.ts';
import type { Event } from './events.ts';

export interface InProcessBusOptions {
  /** Events kept for groups that subscribe later with `fromBeginning`; oldest dropped first. */
  retainPerTopic?: number;
  /** Largest batch handed to a handler. */
  maxBatchSize?: number;
  /** Wait before redelivering a batch whose handler threw. */
  retryDelayMs?: number;
  onHandlerError?: (error: unknown, topic: string, group: string) => void;
}

interface Group {
  name: string;
  nextOffset: number;
  members: BatchHandler[];
  nextMember: number;
  pumping: boolean;
  stopped: boolean;
  inFlight: Promise<void> | undefined;
  /** Publishers waiting until this group has processed up to an offset. */
  waiters: Array<{ offset: number; resolve: () => void }>;
}

interface Topic {
  /** Offset of log[0]. */
  base: number;
  log: Event[];
  groups: Map<string, Group>;
}

/**
 * The bus inside one process: one partition per topic, consumer groups with their own offsets,
 * batches processed in order and redelivered when a handler throws. `publish` resolves when every
 * subscribed group has processed the event, which is what makes an event durable here: in the
 * embedded default the audit group's handler returns only after the store acknowledged it.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): Bus {
  const retain = options.retainPerTopic ?? 10_000;
  const maxBatch = options.maxBatchSize ?? 500;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const topics = new Map<string, Topic>();
  let closed = false;

  function topicNamed(name: string): Topic {
    let topic = topics.get(name);
    if (!topic) {
      topic = { base: 0, log: [], groups: new Map() };
      topics.set(name, topic);
    }
    return topic;
  }

  function end(topic: Topic): number {
    return topic.base + topic.log.length;
  }

  function trim(topic: Topic): void {
    let keepFrom = Math.max(topic.base, end(topic) - retain);
    for (const group of topic.groups.values()) if (!group.stopped) keepFrom = Math.min(keepFrom, group.nextOffset);
    if (keepFrom > topic.base) {
      topic.log.splice(0, keepFrom - topic.base);
      topic.base = keepFrom;
    }
  }

  function settleWaiters(group: Group): void {
    group.waiters = group.waiters.filter((waiter) => {
      if (waiter.offset < group.nextOffset || group.stopped) {
        waiter.resolve();
        return false;
      }
      return true;
    });
  }

  function pump(topicName: string, topic: Topic, group: Group): void {
    if (group.pumping || group.stopped) return;
    group.pumping = true;
    group.inFlight = (async () => {
      while (!group.stopped && group.nextOffset < end(topic) && group.members.length > 0) {
        const from = group.nextOffset;
        const to = Math.min(end(topic), from + maxBatch);
        const batch: DeliveredEvent[] = topic.log
          .slice(from - topic.base, to - topic.base)
          .map((event, i) => ({ event, partition: 0, offset: String(from + i) }));
        const member = group.members[group.nextMember++ % group.members.length]!;
        try {
          await member(batch);
          group.nextOffset = to;
          settleWaiters(group);
          trim(topic);
        } catch (error) {
          options.onHandlerError?.(error, topicName, group.name);
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        }
      }
      group.pumping = false;
    })();
  }

  async function subscribe(subscribeOptions: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    if (closed) throw new Error('bus is closed');
    const topic = topicNamed(subscribeOptions.topic);
    let group = topic.groups.get(subscribeOptions.group);
    if (!group || group.stopped) {
      // A group that stopped keeps its committed offset, as in Kafka; fromBeginning applies only to a new group.
      const committed = group ? Math.max(group.nextOffset, topic.base) : undefined;
      group = {
        name: subscribeOptions.group,
        nextOffset: committed ?? (subscribeOptions.fromBeginning ? topic.base : end(topic)),
        members: [],
        nextMember: 0,
        pumping: false,
        stopped: false,
        inFlight: undefined,
        waiters: [],
      };
      topic.groups.set(subscribeOptions.group, group);
    }
    const joined = group;
    joined.members.push(handler);
    pump(subscribeOptions.topic, topic, joined);
    return {
      async stop() {
        joined.members = joined.members.filter((member) => member !== handler);
        if (joined.members.length === 0) {
          joined.stopped = true;
          settleWaiters(joined);
          await joined.inFlight;
        }
      },
    };
  }

  return {
    async publish(topicName, event) {
      if (closed) throw new Error('bus is closed');
      const topic = topicNamed(topicName);
      topic.log.push(event);
      const offset = end(topic) - 1;
      const processed: Promise<void>[] = [];
      for (const group of topic.groups.values()) {
        if (group.stopped || group.members.length === 0) continue;
        processed.push(new Promise((resolve) => group.waiters.push({ offset, resolve })));
        pump(topicName, topic, group);
      }
      trim(topic);
      await Promise.all(processed);
    },

    subscribe,

    subscribeRecords(subscribeOptions, handler) {
      return subscribe(subscribeOptions, async (batch) => {
        const { rejected } = await handler(batch.map(({ event, partition, offset }) => ({ partition, offset, value: encodeEvent(event) })));
        // There is no dead-letter topic in-process, and the events were published as objects: one
        // rejected all the same is reported, not delivered again forever.
        for (const { index, reason } of rejected) {
          options.onHandlerError?.(new Error(`event at offset ${batch[index]?.offset} was rejected: ${reason}`), subscribeOptions.topic, subscribeOptions.group);
        }
      });
    },

    async ensureTopics(names) {
      for (const name of names) topicNamed(name);
    },

    async deleteTopic(name) {
      const topic = topics.get(name);
      if (!topic) return;
      for (const group of topic.groups.values()) {
        group.stopped = true;
        settleWaiters(group);
      }
      topics.delete(name);
    },

    async close() {
      closed = true;
      const inFlight: Array<Promise<void> | undefined> = [];
      for (const topic of topics.values()) {
        for (const group of topic.groups.values()) {
          group.stopped = true;
          settleWaiters(group);
          inFlight.push(group.inFlight);
        }
      }
      await Promise.all(inFlight);
    },
  };
}
