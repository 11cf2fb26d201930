import { describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { createInMemoryEventStore } from './fixture-event-store.ts';

const note = (method: string): JSONRPCMessage => ({ jsonrpc: '2.0', method });

describe('the fixture event store', () => {
  it('replays the later events of the same stream only, in order', async () => {
    const store = createInMemoryEventStore();
    const first = await store.storeEvent('a', note('one'));
    await store.storeEvent('b', note('other stream'));
    const second = await store.storeEvent('a', note('two'));
    await store.storeEvent('a', note('three'));

    const replayed: string[] = [];
    const streamId = await store.replayEventsAfter(first, { send: async (id, message) => void replayed.push(`${id} ${'method' in message ? message.method : ''}`) });
    expect(streamId).toBe('a');
    expect(replayed).toEqual([`${second} two`, 'a_4 three']);
    expect(await store.getStreamIdForEventId?.(second)).toBe('a');
  });

  it('forgets the oldest events beyond its bound and refuses to replay from them', async () => {
    const store = createInMemoryEventStore(2);
    const dropped = await store.storeEvent('a', note('one'));
    await store.storeEvent('a', note('two'));
    await store.storeEvent('a', note('three'));
    expect(await store.getStreamIdForEventId?.(dropped)).toBeUndefined();
    await expect(store.replayEventsAfter(dropped, { send: async () => {} })).rejects.toThrow(/unknown event id/);
  });
});
