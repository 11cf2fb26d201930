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
  const parsed = EventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventDecodeError(`record is not a v1 event: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}
