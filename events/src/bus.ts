import type { Event } from './events.ts';

/** An event as a consumer receives it, with where it sits in its topic. */
export interface DeliveredEvent {
  event: Event;
  partition: number;
  /** Offset within the partition, as a decimal string (Kafka offsets exceed 2^53). */
  offset: string;
}

/**
 * Processes one batch from one partition, in order. Resolving commits the batch; throwing
 * leaves it uncommitted and it is delivered again, so handlers must tolerate redelivery.
 */
export type BatchHandler = (batch: DeliveredEvent[]) => Promise<void>;

/** A record as delivered to a consumer that decodes events itself (Bus.subscribeRecords). */
export interface DeliveredRecord {
  partition: number;
  /** Offset within the partition, as a decimal string. */
  offset: string;
  /** The record's value: an encoded event (codec.ts), unless something else wrote to the topic. */
  value: Buffer;
}

/**
 * Records handed out one at a time, in order: an array, or a view that makes each record when
 * asked, so that a large batch's records need not all be alive at once.
 */
export type RecordList = Pick<readonly DeliveredRecord[], 'length' | 'at'>;

/** A record of a batch that is not a valid event: its index in the batch, and why. */
export interface RejectedRecord {
  index: number;
  reason: string;
}

/** What a RecordBatchHandler found in its batch. */
export interface RecordBatchResult {
  /** Records that are not valid events; the bus sends them to the dead-letter topic before it commits the batch. */
  rejected: RejectedRecord[];
  /** The type and time (epoch ms) of each valid event, in order, and the events published under a span: what consumption metrics and spans are made of. */
  consumed: ConsumedEvents;
}

export interface ConsumedEvents {
  types: string[];
  times: Float64Array;
  /** The events that name the span they were published under (`span_id`), so that their consumer spans continue it. */
  traced: Array<{ id: string; type: string; traceId: string; spanId: string }>;
}

/**
 * Processes one batch of records, in order, as a BatchHandler does, decoding them itself (for
 * instance on another thread), and says which records were not valid events.
 */
export type RecordBatchHandler = (batch: DeliveredRecord[]) => Promise<RecordBatchResult>;

/** What a bus itself needs of a record handler: which records to send to the dead-letter topic. */
export type RejectingRecordHandler = (batch: DeliveredRecord[]) => Promise<Pick<RecordBatchResult, 'rejected'>>;

export interface SubscribeOptions {
  topic: string;
  /** Consumer group: each event goes to one member of each group. */
  group: string;
  /** Where a group without committed offsets starts. Default: only events published after subscribing. */
  fromBeginning?: boolean;
  /**
   * Where records that are not valid events go, unchanged, with headers naming the reason and the
   * source topic, partition and offset, so one poison record neither stops the partition nor
   * vanishes. Without it they are skipped with a log line. (In-process there are no such records.)
   */
  deadLetterTopic?: string;
  /**
   * Kafka: fetch a partition's next batch while the handler still works on the one before, which
   * a handler that waits on a store (audit-ingest) needs to keep its CPU and the store busy at the
   * same time. The handler then gets a partition's next batch before its promise for the one
   * before settled, and must keep them in order itself; each batch is committed once its promise
   * and those of the batches before it resolved. When one rejects, it is delivered again, and the
   * batches after it are not committed. In-process, batches are handed over one at a time anyway.
   */
  fetchAhead?: boolean;
}

export interface Subscription {
  /** Stops taking new batches and waits for the one in flight to finish or fail. */
  stop(): Promise<void>;
}

/**
 * The message bus between gateway, DLP workers and audit-ingest. Kafka in production; an
 * in-process implementation with the same semantics for the embedded default and unit tests.
 */
export interface Bus {
  /**
   * Resolves once the event is durable: acknowledged by all in-sync replicas (Kafka), or processed
   * by every group subscribed to the topic (in-process, where there is no log to recover from).
   * Events with the same trace id keep their order.
   */
  publish(topic: string, event: Event): Promise<void>;
  /** Resolves once the subscription is consuming, so anything published afterwards reaches it. */
  subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  /** As subscribe, for a handler that takes the records undecoded. */
  subscribeRecords(options: SubscribeOptions, handler: RecordBatchHandler): Promise<Subscription>;
  /** Creates the topics that do not exist yet. */
  ensureTopics(topics: string[]): Promise<void>;
  /** Removes a topic; used for a gateway instance's reply topic at shutdown. */
  deleteTopic(topic: string): Promise<void>;
  /** Stops every subscription, then disconnects. */
  close(): Promise<void>;
}
