import type { ClientCapabilities, LoggingLevel, LoggingMessageNotification, Progress } from '@modelcontextprotocol/client';

/** Requests an upstream server may send its client while it serves a call. */
export type RelayedRequestMethod = 'sampling/createMessage' | 'elicitation/create';

/**
 * The way back to the client a call came from, for what the upstream sends while serving it:
 * progress, log messages, and sampling or elicitation requests, whose answers go back upstream.
 */
export interface CallRelay {
  /** Identifies the downstream client (its session, or its request when it has none). */
  readonly client: string;
  /** The least severe log messages the client takes, if it takes any; asked of 2026-07-28 upstreams per request. */
  logLevel?: LoggingLevel;
  /** What the client can be asked for (sampling, elicitation, roots), told to 2026-07-28 upstreams per request. */
  clientCapabilities?: ClientCapabilities;
  progress?(progress: Progress): void;
  log(params: LoggingMessageNotification['params']): void;
  /** Resolves once what the upstream sent during the call (its log messages) has been checked and passed on, so it reaches the client before the result. */
  delivered(): Promise<void>;
  request(method: RelayedRequestMethod, params: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/**
 * The calls in flight on one upstream connection, with the relay of each. A 2025-era server's
 * log messages and requests name no call they belong to, and one upstream connection serves
 * many clients; so they go to a client only when every call in flight is that client's. With
 * calls of several clients in flight, log messages are dropped and requests refused: sending
 * one client's data to another is worse than failing the request.
 */
export class InFlightRelays {
  readonly #relays = new Set<CallRelay>();

  async track<T>(relay: CallRelay | undefined, run: () => Promise<T>): Promise<T> {
    if (!relay) return run();
    this.#relays.add(relay);
    try {
      return await run();
    } finally {
      this.#relays.delete(relay);
    }
  }

  /** The latest call's relay, when all calls in flight belong to one client. */
  target(): CallRelay | undefined {
    let latest: CallRelay | undefined;
    for (const relay of this.#relays) {
      if (latest && latest.client !== relay.client) return undefined;
      latest = relay;
    }
    return latest;
  }

  get size(): number {
    return this.#relays.size;
  }
}
