import type { BatchHandler, ConsumedEvents, DeliveredEvent, DeliveredRecord, RecordList, RejectedRecord, RejectingRecordHandler } from './bus.ts';
import { asIsCheck } from './as-is-check.ts';
import { EventSchema, type Event } from './events.ts';

export class EventDecodeError extends Error {
  readonly code = 'GH_ERR_EVENT_INVALID';
}

export function encodeEvent(event: Event): Buffer {
  return Buffer.from(JSON.stringify(event));
}

/** Parses and validates one record from the bus; a record that is not a v1 event is rejected with the reason. */
export function decodeEvent(raw: Buffer | string): Event {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new EventDecodeError('record is not JSON');
  }
  if (isEventAsIs(json)) return json;
  const parsed = EventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventDecodeError(`record is not a v1 event: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Nearly every record is an event exactly as the schema would give it back: such a record needs no copy. */
const isEventAsIs = asIsCheck(EventSchema) as (value: unknown) => value is Event;

/**
 * A handler of records that decodes them and hands the valid events to `handler`, if there are
 * any. It names only the records it rejected: a decoded subscription is measured on its events.
 */
export function withDecodedEvents(handler: BatchHandler): RejectingRecordHandler {
  return async (records) => {
    const { delivered, rejected } = decodeRecords(records);
    if (delivered.length > 0) await handler(delivered);
    return { rejected };
  };
}

/** The records that are valid events, decoded, and the others with the reason. */
export function decodeRecords(records: readonly DeliveredRecord[]): { delivered: DeliveredEvent[]; rejected: RejectedRecord[] } {
  const delivered: DeliveredEvent[] = [];
  const rejected = eachDecodedRecord(records, (event) => delivered.push(event));
  return { delivered, rejected };
}

/**
 * Decodes the records in turn, handing each valid event to `each` as soon as it is decoded (so a
 * consumer can let go of it before the next); returns the others with the reason.
 */
export function eachDecodedRecord(records: RecordList, each: (delivered: DeliveredEvent, index: number) => void): RejectedRecord[] {
  const rejected: RejectedRecord[] = [];
  for (let index = 0; index < records.length; index += 1) {
    const { value, partition, offset } = records.at(index)!;
    let event: Event;
    try {
      event = decodeEvent(value);
    } catch (error) {
      rejected.push({ index, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    each({ event, partition, offset }, index);
  }
  return rejected;
}

/** Collects RecordBatchResult.consumed, for up to `capacity` events. */
export function consumedRecorder(capacity: number): { add(event: Event): void; result(): ConsumedEvents } {
  const types: string[] = [];
  const times = new Float64Array(capacity);
  const traced: ConsumedEvents['traced'] = [];
  return {
    add(event) {
      times[types.length] = Date.parse(event.time);
      types.push(event.type);
      if (event.span_id) traced.push({ id: event.id, type: event.type, traceId: event.trace_id, spanId: event.span_id });
    },
    result: () => ({ types, times: times.length === types.length ? times : times.slice(0, types.length), traced }),
  };
}

/** RecordBatchResult.consumed of these events. */
export function consumedEvents(events: readonly Event[]): ConsumedEvents {
  const consumed = consumedRecorder(events.length);
  for (const event of events) consumed.add(event);
  return consumed.result();
}
