import { ProtocolError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createParkedCalls, type BridgedRound } from '../src/parked-calls.ts';

const stateOf = (round: BridgedRound<unknown>) => {
  if (round.done) throw new Error('expected the call to ask for input');
  return round.inputRequired.requestState!;
};

describe('parked calls', () => {
  it('ends at once with the result of a call that asks nothing', async () => {
    const parked = createParkedCalls({ timeoutMs: 1_000 });
    expect(await parked.start('alice', async () => 'result')).toEqual({ done: true, result: 'result' });
  });

  it('asks the client, then hands its answer to the waiting call and ends with the result', async () => {
    const parked = createParkedCalls({ timeoutMs: 1_000 });
    const first = await parked.start('alice', async (ask) => {
      const answer = await ask('sampling/createMessage', { maxTokens: 5 });
      return `answered ${JSON.stringify(answer)}`;
    });
    expect(first.done).toBe(false);
    if (first.done) return;
    expect(first.inputRequired.inputRequests).toEqual({ sampling_createMessage_1: { method: 'sampling/createMessage', params: { maxTokens: 5 } } });
    const second = await parked.resume('alice', stateOf(first), { sampling_createMessage_1: { role: 'assistant', content: { type: 'text', text: 'hi' } } });
    expect(second).toEqual({ done: true, result: 'answered {"role":"assistant","content":{"type":"text","text":"hi"}}' });
  });

  it('refuses a retry by anyone but the caller who started the call, and leaves the call waiting for its owner', async () => {
    const parked = createParkedCalls({ timeoutMs: 1_000 });
    const first = await parked.start('alice', async (ask) => ask('elicitation/create', { message: 'ok?' }));
    expect(() => parked.resume('mallory', stateOf(first), { elicitation_create_1: { action: 'accept' } })).toThrow(ProtocolError);
    expect(await parked.resume('alice', stateOf(first), { elicitation_create_1: { action: 'decline' } })).toEqual({ done: true, result: { action: 'decline' } });
  });

  it('passes on a state that is not its own (an upstream\'s) and refuses a forged or ended one', async () => {
    const parked = createParkedCalls({ timeoutMs: 1_000 });
    expect(parked.resume('alice', 'upstream-state', {})).toBeUndefined();
    const first = await parked.start('alice', async (ask) => ask('elicitation/create', {}));
    const forged = stateOf(first).replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect(() => parked.resume('alice', forged, {})).toThrow('Invalid or expired requestState');
    await parked.resume('alice', stateOf(first), { elicitation_create_1: { action: 'cancel' } });
    expect(() => parked.resume('alice', stateOf(first), {})).toThrow('Invalid or expired requestState');
  });

  it('cancels a call whose client does not come back in time, refusing what it asked', async () => {
    const parked = createParkedCalls({ timeoutMs: 50 });
    let cancelled = false;
    let refused: unknown;
    const first = await parked.start('alice', async (ask, signal) => {
      signal.addEventListener('abort', () => (cancelled = true));
      return ask('sampling/createMessage', {}).catch((error: unknown) => (refused = error));
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(cancelled).toBe(true);
    expect(String(refused)).toContain('did not answer in time');
    expect(() => parked.resume('alice', stateOf(first), {})).toThrow('Invalid or expired requestState');
  });
});
