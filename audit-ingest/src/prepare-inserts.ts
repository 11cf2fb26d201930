import { hash } from 'node:crypto';
import type { ConsumedEvents, DeliveredEvent, RecordList, RejectedRecord } from '../../events/src/bus.ts';
import { consumedRecorder, eachDecodedRecord } from '../../events/src/codec.ts';
import { grown, NO_SPARES, type SpareBuffers } from './byte-buffers.ts';
import { createSegmentRecorder, type ChainSegment } from './checkpointer.ts';
import { toAuditEventRow } from './event-row.ts';
import { createChainExtension, type ChainTail } from './hash-chain.ts';
import { createChainedRowEncoder, type EncodedAuditRows } from './insert-audit-rows.ts';
import { cutsBefore, insertMonth } from './insert-cuts.ts';

/** One insert the writer is about to send, or has just had acknowledged. */
export interface AuditInsert {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  rows: number;
  token: string;
}

/**
 * One insert with its rows chained on from the tail before it, and the tail after it. The rows
 * are encoded at once: an insert waits for the ones before it, and its rows, kept as objects
 * meanwhile, would outlive the young generation and burden the garbage collector.
 */
export interface PreparedInsert {
  insert: AuditInsert;
  month: string;
  encoded: EncodedAuditRows;
  /** What the checkpointer needs of the rows; none without one. */
  segment?: ChainSegment;
  tail: ChainTail;
}

/** A partition's records made ready to store: what prepareBatch returns. */
export interface PreparedBatch {
  inserts: PreparedInsert[];
  /** The chain tail after the last insert; the tail given when there is none. */
  tail: ChainTail;
  /** Records that are not valid events, by their index among the records given. */
  rejected: RejectedRecord[];
  consumed: ConsumedEvents;
}

export interface PrepareOptions {
  /** Largest insert; see insert-cuts.ts. */
  maxRows: number;
  /** Whether to keep what the checkpointer needs of each insert. */
  forCheckpoint: boolean;
}

/**
 * Decodes and validates one partition's records, in offset order, cuts the valid events into
 * inserts, chains them on from `tail` and encodes them: every step of storing a batch that needs
 * no store, so that it can run on a thread of its own (insert-preparer.ts). Each event goes
 * through all the steps before the next is decoded, and only its encoded row and leaf hash stay:
 * a batch's events, rows and lines kept until the step after would outlive V8's young generation,
 * which cost about a third more per event. The inserts' bodies are written into memory taken from
 * `spares`.
 */
export function prepareBatch(topic: string, records: RecordList, tail: ChainTail, options: PrepareOptions, spares?: SpareBuffers): PreparedBatch {
  const inserts: PreparedInsert[] = [];
  const consumed = consumedRecorder(records.length);
  let after = tail;
  let insert: InsertBuilder | undefined;
  const rejected = eachDecodedRecord(records, (delivered, index) => {
    consumed.add(delivered.event);
    const month = insertMonth(delivered);
    if (insert && cutsBefore(insert.rows, insert.month, delivered.offset, month, options.maxRows)) {
      inserts.push(insert.finish());
      after = inserts[inserts.length - 1]!.tail;
      insert = undefined;
    }
    insert ??= startInsert(topic, month, after, Math.min(options.maxRows, records.length - index), options.forCheckpoint, spares);
    insert.add(delivered);
  });
  if (insert) {
    inserts.push(insert.finish());
    after = inserts[inserts.length - 1]!.tail;
  }
  return { inserts, tail: after, rejected, consumed: consumed.result() };
}

/** One insert being prepared, event by event. */
interface InsertBuilder {
  readonly month: string;
  readonly rows: number;
  add(delivered: DeliveredEvent): void;
  finish(): PreparedInsert;
}

function startInsert(topic: string, month: string, tail: ChainTail, expectedRows: number, forCheckpoint: boolean, spares?: SpareBuffers): InsertBuilder {
  const chain = createChainExtension(tail, expectedRows);
  const encoder = createChainedRowEncoder(expectedRows, spares);
  const ids = deduplicationIds(expectedRows, spares);
  const segment = forCheckpoint ? createSegmentRecorder() : undefined;
  let first: DeliveredEvent | undefined;
  let last: DeliveredEvent | undefined;
  let rows = 0;
  return {
    month,
    get rows() {
      return rows;
    },
    add(delivered) {
      const row = chain.add(toAuditEventRow(delivered, topic));
      encoder.add(row);
      segment?.add(row);
      ids.add(delivered.event.id);
      first ??= delivered;
      last = delivered;
      rows += 1;
    },
    finish() {
      const { partition, offset: firstOffset } = first!;
      const lastOffset = last!.offset;
      return {
        insert: { topic, partition, firstOffset, lastOffset, rows, token: ids.token(topic, partition, firstOffset, lastOffset) },
        month,
        encoded: encoder.finish(),
        segment: segment?.segment(chain.leafHashes()),
        tail: chain.tail(),
      };
    },
  };
}

/** `topic/partition/first-last/hash of the event ids`: the same events at the same place give the same token. */
export function insertDeduplicationToken(topic: string, events: DeliveredEvent[]): string {
  const ids = deduplicationIds(events.length);
  for (const { event } of events) ids.add(event.id);
  const first = events[0];
  const last = events[events.length - 1];
  return ids.token(topic, first?.partition ?? 0, first?.offset ?? '', last?.offset ?? '');
}

/**
 * The ids, each followed by a newline, hashed into a token once all are added (once). They are
 * written into memory taken from `spares` and given back with the token: kept as a string instead,
 * every event left three strings alive until its insert was cut, which the collector then moved
 * out of the young generation.
 */
function deduplicationIds(expected: number, spares: SpareBuffers = NO_SPARES) {
  let written = spares.take(Math.max(64, expected * UUID_LINE_BYTES));
  let at = 0;
  return {
    add(id: string) {
      const most = 3 * id.length + 1;
      if (at + most > written.length) written = grown(written, at + most, spares);
      at += written.write(id, at, 'utf8');
      written[at++] = NEWLINE;
    },
    token(topic: string, partition: number, firstOffset: string, lastOffset: string) {
      const digest = hash('sha256', written.subarray(0, at), 'hex');
      spares.keep(written.buffer);
      return `${topic}/${partition}/${firstOffset}-${lastOffset}/${digest.slice(0, 32)}`;
    },
  };
}

const UUID_LINE_BYTES = 37;
const NEWLINE = 0x0a;
