import { Worker } from 'node:worker_threads';
import type { DeliveredRecord, RecordList } from '../../events/src/bus.ts';
import { createSpareBuffers, holdsAllItsMemory, type SpareBuffers } from './byte-buffers.ts';
import type { ChainTail } from './hash-chain.ts';
import type { PreparedBatch, PrepareOptions } from './prepare-inserts.ts';

/**
 * Runs prepareBatch (decoding, validating, canonical JSON, hashing, encoding: the bulk of the
 * ingest's JavaScript) on a thread of its own. On the main thread, that work and the Kafka
 * client's took turns, and that one thread set the pace while the machine had a core to spare.
 */
export interface InsertPreparer {
  prepare(topic: string, records: readonly DeliveredRecord[], tail: ChainTail, options: PrepareOptions): Promise<PreparedBatch>;
  /**
   * Gives the thread back the memory of insert bodies it prepared, once they are stored and
   * nothing reads them any more: it writes the next bodies into it (see SpareBuffers).
   */
  giveBack(payloads: readonly Buffer[]): void;
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

/** What goes to the thread in one message: requests, and memory for it to keep (insert bodies given back). */
export interface ToPrepareThread {
  requests: PrepareRequest[];
  spares: ArrayBuffer[];
}

/** What comes back in one message: responses, and the memory of the requests' values, for the next requests. */
export interface FromPrepareThread {
  responses: PrepareResponse[];
  spares: ArrayBuffer[];
}

/** How many buffers each side keeps: about the batches and inserts in hand at once. */
export const SPARES_KEPT = 8;

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
  let givenBack: ArrayBuffer[] = [];
  const valueSpares = createSpareBuffers(SPARES_KEPT);

  const failPending = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  /** The thread, started on first use and again after it died; it keeps the process alive only while a batch is in it. */
  const thread = (): Worker => {
    if (worker) return worker;
    const started = new Worker(THREAD_ENTRY, { name: 'audit-prepare', resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    started.unref();
    started.on('message', ({ responses, spares }: FromPrepareThread) => {
      for (const memory of spares) valueSpares.keep(memory);
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
    const spares = givenBack;
    queued = { requests: [], transfer: [] };
    givenBack = [];
    try {
      const target = thread();
      target.ref();
      const message: ToPrepareThread = { requests, spares };
      target.postMessage(message, [...transfer, ...spares]);
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
      const { request, transfer } = packRequest(id, topic, records, tail, options, valueSpares);
      return new Promise<PreparedBatch>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (queued.requests.length === 0) setImmediate(send);
        queued.requests.push(request);
        queued.transfer.push(...transfer);
      });
    },
    giveBack(payloads) {
      for (const { buffer } of payloads) if (buffer instanceof ArrayBuffer && buffer.byteLength > 0 && !givenBack.includes(buffer)) givenBack.push(buffer);
      givenBack.splice(0, givenBack.length - SPARES_KEPT);
    },
    async close() {
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
      failPending(new Error('the audit row preparation thread was closed'));
    },
  };
}

/**
 * The request for one partition's records; one copy of their values, into memory of the request's
 * own (kept from an earlier request where one is large enough).
 */
function packRequest(id: number, topic: string, records: readonly DeliveredRecord[], tail: ChainTail, options: PrepareOptions, spares: SpareBuffers) {
  let bytes = 0;
  for (const { value } of records) bytes += value.length;
  const values = spares.take(bytes).subarray(0, bytes);
  const ends = new Uint32Array(records.length);
  const offsets = new Array<string>(records.length);
  let at = 0;
  records.forEach(({ value, offset }, i) => {
    at += value.copy(values, at);
    ends[i] = at;
    offsets[i] = offset;
  });
  const request: PrepareRequest = { id, topic, partition: records[0]?.partition ?? 0, values, ends, offsets, tail, options };
  return { request, transfer: [values.buffer as ArrayBuffer, ends.buffer] };
}

/**
 * The records of a request, on the thread, each made when asked: a view into the request's values,
 * not a copy. Made all at once, a batch's records outlived the young generation.
 */
export function unpackRequest(request: PrepareRequest): RecordList {
  const { values, ends, offsets, partition } = request;
  return {
    length: ends.length,
    at(index) {
      if (index < 0 || index >= ends.length) return undefined;
      const start = index === 0 ? 0 : ends[index - 1]!;
      return { partition, offset: offsets[index]!, value: Buffer.from(values.buffer, values.byteOffset + start, ends[index]! - start) };
    },
  };
}

/**
 * The memory of a prepared batch that can move to the main thread instead of being copied: that of
 * each insert body (which holds nothing else, see RowBinaryWriter#finish), and of the other
 * buffers that own theirs.
 */
export function transferablesOf(batch: PreparedBatch): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  const add = (memory: ArrayBufferLike) => {
    if (memory instanceof ArrayBuffer && !transfer.includes(memory)) transfer.push(memory);
  };
  for (const { encoded, segment } of batch.inserts) {
    add(encoded.payload.buffer);
    if (segment && holdsAllItsMemory(segment.leafHashes)) add(segment.leafHashes.buffer);
  }
  if (holdsAllItsMemory(batch.consumed.times)) add(batch.consumed.times.buffer);
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
