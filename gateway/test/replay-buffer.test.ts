import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createReplayBuffer } from '../src/sessions/replay-buffer.ts';

const note = (n: number): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: n } });

async function replayed(store: ReturnType<typeof createReplayBuffer>, after: string) {
  const sent: Array<{ id: string; message: JSONRPCMessage }> = [];
  const streamId = await store.replayEventsAfter(after, { send: async (id, message) => void sent.push({ id, message }) });
  return { streamId, sent };
}

describe('session replay buffer', () => {
  it('replays the messages of the same stream after the last one the client saw, in order', async () => {
    const store = createReplayBuffer(100);
    const first = await store.storeEvent('stream-a', note(1));
    await store.storeEvent('stream-b', note(2));
    const third = await store.storeEvent('stream-a', note(3));
    await store.storeEvent('stream-a', note(4));
    const { streamId, sent } = await replayed(store, first);
    expect(streamId).toBe('stream-a');
    expect(sent.map((event) => event.message)).toEqual([note(3), note(4)]);
    expect(sent[0]?.id).toBe(third);
    expect(await store.getStreamIdForEventId!(third)).toBe('stream-a');
  });

  it('keeps only the newest messages when full', async () => {
    const store = createReplayBuffer(2);
    const first = await store.storeEvent('s', note(1));
    await store.storeEvent('s', note(2));
    await store.storeEvent('s', note(3));
    expect((await replayed(store, first)).sent.map((event) => event.message)).toEqual([note(2), note(3)]);
  });
});
