import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { inputRequired, ProtocolError, ProtocolErrorCode, type InputRequiredResult } from '@modelcontextprotocol/server';
import type { RelayedRequestMethod } from './upstream/index.ts';

/** What the client answers to one request an upstream sent it. */
export type ClientAnswer = Record<string, unknown>;

/** Asks the client of a parked call something on the upstream's behalf; resolves with its answer. */
export type AskClient = (method: RelayedRequestMethod, params: Record<string, unknown>) => Promise<ClientAnswer>;

/** How one round of a bridged call ends for the client: the call's result, or requests for input. */
export type BridgedRound<R> = { done: true; result: R } | { done: false; inputRequired: InputRequiredResult };

interface Ask {
  method: RelayedRequestMethod;
  params: Record<string, unknown>;
  answer(value: ClientAnswer): void;
  fail(error: Error): void;
}

interface ParkedCall<R> {
  owner: string;
  result: Promise<R>;
  asks: Map<string, Ask>;
  /** Wakes the round waiting for the call to end or to ask something. */
  wake?: () => void;
  controller: AbortController;
  timer?: NodeJS.Timeout;
}

const STATE_PREFIX = 'gatehouse.parked.';

/**
 * Calls of 2026-07-28 clients to 2025 upstreams that ask their client something while they run
 * (sampling, elicitation). That revision has no requests from server to client, so the gateway
 * answers the client's call with `input_required` carrying the upstream's requests, keeps the
 * upstream call running, and goes on when the client retries with its answers; the retry's
 * `requestState` names the parked call and is bound by HMAC to the caller who started it. A call
 * not resumed within `timeoutMs` is cancelled, and its upstream's requests are refused.
 */
export function createParkedCalls(options: { timeoutMs: number }) {
  const key = randomBytes(32);
  const parked = new Map<string, ParkedCall<unknown>>();
  const seal = (id: string, owner: string) => createHmac('sha256', key).update(`${id}\n${owner}`).digest('base64url');

  function stateOf(id: string, owner: string): string {
    return `${STATE_PREFIX}${id}.${seal(id, owner)}`;
  }

  /** The parked call a retry names, when the caller is its owner and it still waits. */
  function callOf(state: string, owner: string): [string, ParkedCall<unknown>] | undefined {
    const [id, mac] = state.slice(STATE_PREFIX.length).split('.');
    if (!id || !mac) return undefined;
    const expected = Buffer.from(seal(id, owner));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const call = parked.get(id);
    return call && call.owner === owner ? [id, call] : undefined;
  }

  function end(id: string, call: ParkedCall<unknown>, why: string): void {
    clearTimeout(call.timer);
    parked.delete(id);
    for (const ask of call.asks.values()) ask.fail(new Error(why));
    call.asks.clear();
    call.controller.abort(new Error(why));
  }

  /** Waits until the call ends or has asks, and tells the client which. */
  async function round<R>(id: string, call: ParkedCall<R>): Promise<BridgedRound<R>> {
    clearTimeout(call.timer);
    const asked = new Promise<void>((resolve) => {
      call.wake = resolve;
      if (call.asks.size > 0) resolve();
    });
    const outcome = await Promise.race([call.result.then((result) => ({ done: true as const, result })), asked.then(() => ({ done: false as const }))]);
    if (outcome.done) {
      clearTimeout(call.timer);
      parked.delete(id);
      return outcome;
    }
    call.timer = setTimeout(() => end(id, call as ParkedCall<unknown>, 'the client did not answer in time'), options.timeoutMs);
    const inputRequests = Object.fromEntries([...call.asks].map(([askKey, ask]) => [askKey, { method: ask.method, params: ask.params }]));
    return { done: false, inputRequired: inputRequired({ inputRequests, requestState: stateOf(id, call.owner) } as Parameters<typeof inputRequired>[0]) };
  }

  return {
    /**
     * Runs a call for `owner`; `run` gets the way to ask the client and the signal that cancels the
     * call. Resolves with the result, or with the input the client must give first.
     */
    start<R>(owner: string, run: (ask: AskClient, signal: AbortSignal) => Promise<R>): Promise<BridgedRound<R>> {
      const id = randomUUID();
      const settled = Promise.withResolvers<R>();
      const call: ParkedCall<R> = { owner, asks: new Map(), controller: new AbortController(), result: settled.promise };
      // The race in round() observes the result; a call that fails while parked must not go unhandled.
      settled.promise.catch(() => undefined);
      let asked = 0;
      const ask: AskClient = (method, params) =>
        new Promise<ClientAnswer>((answer, fail) => {
          if (!parked.has(id)) return fail(new Error('the call is no longer waiting for its client'));
          call.asks.set(`${method.replace('/', '_')}_${++asked}`, { method, params, answer, fail });
          call.wake?.();
        });
      parked.set(id, call as ParkedCall<unknown>);
      run(ask, call.controller.signal).then(settled.resolve, settled.reject);
      return round(id, call);
    },

    /**
     * The next round of the parked call a retry's `requestState` names, its answers handed to the
     * upstream's waiting requests; undefined when the state is not one of the gateway's (an
     * upstream's own, passed through). A gateway state that names a call that ended, or someone
     * else's, is refused as invalid.
     */
    resume(owner: string, state: string, answers: Record<string, unknown>): Promise<BridgedRound<unknown>> | undefined {
      if (!state.startsWith(STATE_PREFIX)) return undefined;
      const found = callOf(state, owner);
      if (!found) throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid or expired requestState', { reason: 'invalid_request_state' });
      const [id, call] = found;
      for (const [askKey, value] of Object.entries(answers)) {
        const ask = call.asks.get(askKey);
        if (!ask || !value || typeof value !== 'object' || Array.isArray(value)) continue;
        call.asks.delete(askKey);
        ask.answer(value as ClientAnswer);
      }
      return round(id, call);
    },

    close(): void {
      for (const [id, call] of parked) end(id, call, 'the gateway is shutting down');
    },
  };
}

export type ParkedCalls = ReturnType<typeof createParkedCalls>;
