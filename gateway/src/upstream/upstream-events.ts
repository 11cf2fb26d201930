import type { Logger } from 'pino';
import { InFlightRelays } from './call-relay.ts';
import type { UpstreamClientEvents } from './create-upstream-client.ts';

/** Listeners of one kind of event; one failing listener never stops the others. */
class Listeners<A extends unknown[]> {
  readonly #listeners = new Set<(...args: A) => void>();
  readonly #logger: Logger;
  readonly #event: string;

  constructor(logger: Logger, event: string) {
    this.#logger = logger;
    this.#event = event;
  }

  add(listener: (...args: A) => void): void {
    this.#listeners.add(listener);
  }

  emit(...args: A): void {
    for (const listener of this.#listeners) {
      try {
        listener(...args);
      } catch (error) {
        this.#logger.error({ err: error, event: this.#event }, 'an upstream event listener threw; the other listeners still ran');
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/**
 * What one upstream connection tells the gateway and routes back to its clients, shared by every
 * transport: changes to its lists, updates of subscribed resources, and the calls in flight whose
 * clients it may talk to.
 */
export function createUpstreamEvents(logger: Logger) {
  const toolsChanged = new Listeners<[]>(logger, 'tools changed');
  const resourceUpdated = new Listeners<[string]>(logger, 'resource updated');
  const clientEvents: UpstreamClientEvents = { onToolsChanged: () => toolsChanged.emit(), onResourceUpdated: (uri) => resourceUpdated.emit(uri) };
  return {
    relays: new InFlightRelays(),
    clientEvents,
    /** Also after the upstream restarted or re-initialized: its lists may differ, and its subscriptions are gone. */
    toolsChanged: () => toolsChanged.emit(),
    /** The listener registrations of UpstreamConnection. */
    registrations: {
      onToolsChanged: (listener: () => void) => toolsChanged.add(listener),
      onResourceUpdated: (listener: (uri: string) => void) => resourceUpdated.add(listener),
    },
    clear(): void {
      toolsChanged.clear();
      resourceUpdated.clear();
    },
  };
}
