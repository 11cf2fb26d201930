import { Worker } from 'node:worker_threads';
import type { DeliveredRecord } from '../../events/src/bus.ts';
import type { ChainTail } from './hash-chain.ts';
import type { PreparedBatch, PrepareOptions } from './prepare-inserts.ts';

/**
 * Runs prepareBatch (decoding, validating, canonical JSON, hashing, encoding: the bulk of the
 * ingest's JavaScript) on a thread of its own. On the main thread, that work and the Kafka
 * client's took turns, and that one thread set the pace while the machine had a core to spare.
 */
export interface InsertPreparer {
  prepare(topic: string, records: readonly DeliveredRecord[], tail: ChainTail, options: PrepareOptions): Promise<PreparedBatch>;
  /** Ends the thread; batches still being prepared fail. */
  close(): Promise<void>;
}

/** One partition's records as they go to the thread: their values side by side in one buffer, moved rather than copied. */
export interface PrepareRequest {
  id: number;
  topic: string;
  partition: number;
  values: Uint8Array;
  /** Where each record's value ends in `values`. */
  ends: Uint32Array;
  offsets: string[];
  tail: ChainTail;
  options: PrepareOptions;
}

export type PrepareResponse = { id: number; batch: PreparedBatch } | { id: number; error: string };

const THREAD_ENTRY = new URL('./prepare-inserts-thread.ts', import.meta.url);

/**
 * The thread's young generation. A batch's values and the insert bodies being written are a few
 * megabytes; with V8's default, the bench's ingest ran at about 47,000 events/s, with 48 MB at
 * about 51,000 (the thread spent 14 rather than 15.5 µs per event, and its collector helpers less).
 */
const YOUNG_GENERATION_MB = 48;

/**
 * Batches handed over in the same turn of the event loop (the partitions of one fetch) go to the
 * thread as one message and come back as one, so that their inserts get ready in the same turn
 * again and are grouped into one (group-commit.ts).
 */
export function createInsertPreparer(): InsertPreparer {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (batch: PreparedBatch) => void; reject: (error: Error) => void }>();
  let queued: { requests: PrepareRequest[]; transfer: ArrayBuffer[] } = { requests: [], transfer: [] };

  const failPending = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  /** The thread, started on first use and again after it died; it keeps the process alive only while a batch is in it. */
  const thread = (): Worker => {
    if (worker) return worker;
    const started = new Worker(THREAD_ENTRY, { name: 'audit-prepare', resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    started.unref();
    started.on('message', ({ responses }: { responses: PrepareResponse[] }) => {
      for (const response of responses) {
        const waiting = pending.get(response.id);
        pending.delete(response.id);
        if (!waiting) continue;
        if ('error' in response) waiting.reject(new Error(`preparing audit rows failed: ${response.error}`));
        else waiting.resolve(withBuffers(response.batch));
      }
      if (pending.size === 0) started.unref();
    });
    const died = (error: Error) => {
      if (worker === started) worker = undefined;
      failPending(error);
    };
    started.on('error', (error) => died(new Error(`the audit row preparation thread failed: ${error.message}`)));
    started.on('exit', (code) => died(new Error(`the audit row preparation thread exited (code ${code})`)));
    worker = started;
    return started;
  };

  /** Runs from the event loop: a thread that cannot start, or a message that cannot be sent, fails its batches rather than the process. */
  const send = () => {
    const { requests, transfer } = queued;
    queued = { requests: [], transfer: [] };
    try {
      const target = thread();
      target.ref();
      target.postMessage({ requests }, transfer);
    } catch (error) {
      const failed = new Error(`the audit row preparation thread could not take a batch: ${(error as Error).message}`);
      for (const { id } of requests) {
        pending.get(id)?.reject(failed);
        pending.delete(id);
      }
    }
  };

  return {
    prepare(topic, records, tail, options) {
      const id = nextId++;
      const { request, transfer } = packRequest(id, topic, records, tail, options);
      return new Promise<PreparedBatch>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (queued.requests.length === 0) setImmediate(send);
        queued.requests.push(request);
        queued.transfer.push(...transfer);
      });
    },
    async close() {
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
      failPending(new Error('the audit row preparation thread was closed'));
    },
  };
}

/** The request for one partition's records; one copy of their values, which the request then owns. */
function packRequest(id: number, topic: string, records: readonly DeliveredRecord[], tail: ChainTail, options: PrepareOptions) {
  let bytes = 0;
  for (const { value } of records) bytes += value.length;
  const values = Buffer.allocUnsafeSlow(bytes);
  const ends = new Uint32Array(records.length);
  const offsets = new Array<string>(records.length);
  let at = 0;
  records.forEach(({ value, offset }, i) => {
    at += value.copy(values, at);
    ends[i] = at;
    offsets[i] = offset;
  });
  const request: PrepareRequest = { id, topic, partition: records[0]?.partition ?? 0, values, ends, offsets, tail, options };
  return { request, transfer: [values.buffer, ends.buffer] };
}

/** The records of a request, on the thread: views into its values, not copies. */
export function unpackRequest(request: PrepareRequest): DeliveredRecord[] {
  const { values, ends, offsets, partition } = request;
  const records = new Array<DeliveredRecord>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i += 1) {
    records[i] = { partition, offset: offsets[i]!, value: Buffer.from(values.buffer, values.byteOffset + start, ends[i]! - start) };
    start = ends[i]!;
  }
  return records;
}

/** The buffers of a prepared batch that can move to the main thread instead of being copied: those that own their memory. */
export function transferablesOf(batch: PreparedBatch): ArrayBuffer[] {
  const owned = (bytes: Uint8Array | Float64Array) => bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const transfer: ArrayBuffer[] = [];
  const add = (bytes: Uint8Array | Float64Array) => {
    if (owned(bytes) && bytes.buffer instanceof ArrayBuffer && !transfer.includes(bytes.buffer)) transfer.push(bytes.buffer);
  };
  for (const { encoded, segment } of batch.inserts) {
    add(encoded.payload);
    if (segment) add(segment.leafHashes);
  }
  add(batch.consumed.times);
  return transfer;
}

/** A batch as it arrives from the thread, whose Buffers became plain Uint8Arrays on the way. */
function withBuffers(batch: PreparedBatch): PreparedBatch {
  const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const prepared of batch.inserts) {
    prepared.encoded.payload = asBuffer(prepared.encoded.payload);
    if (prepared.segment) prepared.segment.leafHashes = asBuffer(prepared.segment.leafHashes);
  }
  return batch;
}
