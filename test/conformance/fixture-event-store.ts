import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

interface StoredEvent {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
}

/**
 * The event log behind resumable SSE streams for one fixture process: a client that lost a stream
 * reconnects with `Last-Event-ID` and gets every later event of that stream again. Event ids are
 * `<stream>_<sequence>` so the stream of an id is known without a lookup; the log is bounded so a
 * long-running fixture does not grow without limit.
 */
export function createInMemoryEventStore(maxEvents = 10_000): EventStore {
  const events: StoredEvent[] = [];
  let sequence = 0;

  const streamOf = (eventId: string): string | undefined => events.find((event) => event.id === eventId)?.streamId;

  return {
    async storeEvent(streamId, message) {
      sequence += 1;
      const id = `${streamId}_${sequence}`;
      events.push({ id, streamId, message });
      if (events.length > maxEvents) events.splice(0, events.length - maxEvents);
      return id;
    },
    async getStreamIdForEventId(eventId) {
      return streamOf(eventId);
    },
    async replayEventsAfter(lastEventId, { send }) {
      const index = events.findIndex((event) => event.id === lastEventId);
      const streamId = events[index]?.streamId;
      if (streamId === undefined) throw new Error(`unknown event id "${lastEventId}": it was never issued or has been dropped from the log`);
      for (const event of events.slice(index + 1)) {
        if (event.streamId === streamId) await send(event.id, event.message);
      }
      return streamId;
    },
  };
}
