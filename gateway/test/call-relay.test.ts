import { describe, expect, it } from 'vitest';
import { InFlightRelays, type CallRelay } from '../src/upstream/call-relay.ts';

const relay = (client: string): CallRelay => ({ client, log: () => undefined, delivered: async () => undefined, request: async () => ({ client }) });

describe('InFlightRelays', () => {
  it('routes to the only call in flight, and to nobody once it ended', async () => {
    const relays = new InFlightRelays();
    const alice = relay('session-a');
    let seen: CallRelay | undefined;
    await relays.track(alice, async () => {
      seen = relays.target();
    });
    expect(seen).toBe(alice);
    expect(relays.target()).toBeUndefined();
    expect(relays.size).toBe(0);
  });

  it('routes to the latest call when every call in flight is one client’s', async () => {
    const relays = new InFlightRelays();
    const first = relay('session-a');
    const second = relay('session-a');
    let release!: () => void;
    const held = relays.track(first, () => new Promise<void>((resolve) => (release = resolve)));
    await relays.track(second, async () => expect(relays.target()).toBe(second));
    release();
    await held;
  });

  it('routes to nobody while calls of two clients are in flight, so no client sees another’s request', async () => {
    const relays = new InFlightRelays();
    let release!: () => void;
    const held = relays.track(relay('session-a'), () => new Promise<void>((resolve) => (release = resolve)));
    await relays.track(relay('session-b'), async () => expect(relays.target()).toBeUndefined());
    release();
    await held;
  });

  it('forgets a call that failed', async () => {
    const relays = new InFlightRelays();
    await expect(relays.track(relay('session-a'), async () => Promise.reject(new Error('upstream down')))).rejects.toThrow('upstream down');
    expect(relays.size).toBe(0);
  });
});
