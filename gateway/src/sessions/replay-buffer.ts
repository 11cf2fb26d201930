import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

interface StoredEvent {
  seq: number;
  streamId: StreamId;
  message: JSONRPCMessage;
}

/**
 * The recent messages of one session's SSE streams, so a client whose stream broke can resume it
 * with Last-Event-ID and miss nothing. Bounded: the oldest messages are dropped first; a client
 * that comes back later than that resumes from what is left. Kept in this process's memory, like
 * the session itself.
 */
export function createReplayBuffer(capacity: number): EventStore {
  const events: StoredEvent[] = [];
  let nextSeq = 1;

  const parse = (eventId: EventId) => {
    const separator = eventId.lastIndexOf('/');
    return { streamId: eventId.slice(0, separator), seq: Number(eventId.slice(separator + 1)) };
  };

  return {
    async storeEvent(streamId, message) {
      const seq = nextSeq++;
      if (capacity > 0) {
        events.push({ seq, streamId, message });
        if (events.length > capacity) events.splice(0, events.length - capacity);
      }
      return `${streamId}/${seq}`;
    },
    async getStreamIdForEventId(eventId) {
      return parse(eventId).streamId || undefined;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const { streamId, seq } = parse(lastEventId);
      for (const event of events) {
        if (event.streamId === streamId && event.seq > seq) await send(`${streamId}/${event.seq}`, event.message);
      }
      return streamId;
    },
  };
}
