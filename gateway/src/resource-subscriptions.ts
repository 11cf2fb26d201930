import type { Logger } from 'pino';
import type { UpstreamConnection } from './upstream/index.ts';

/** Told the URI of a subscribed resource that changed. */
export type ResourceSubscriber = (uri: string) => void;

/**
 * Clients' `resources/subscribe`, multiplexed onto the upstreams: the first subscriber of a URI
 * subscribes upstream, the last one to leave unsubscribes, and an update reaches exactly the
 * clients subscribed to that URI on that upstream.
 */
export function createResourceSubscriptions(logger: Logger) {
  const byUpstream = new WeakMap<UpstreamConnection, Map<string, Set<ResourceSubscriber>>>();

  function subscribersOf(upstream: UpstreamConnection): Map<string, Set<ResourceSubscriber>> {
    let byUri = byUpstream.get(upstream);
    if (!byUri) {
      const created = new Map<string, Set<ResourceSubscriber>>();
      upstream.onResourceUpdated((uri) => {
        for (const subscriber of created.get(uri) ?? []) subscriber(uri);
      });
      byUpstream.set(upstream, created);
      byUri = created;
    }
    return byUri;
  }

  return {
    async subscribe(upstream: UpstreamConnection, uri: string, subscriber: ResourceSubscriber): Promise<void> {
      const byUri = subscribersOf(upstream);
      const existing = byUri.get(uri);
      if (existing) {
        existing.add(subscriber);
        return;
      }
      const subscribers = new Set([subscriber]);
      byUri.set(uri, subscribers);
      try {
        await upstream.subscribeResource(uri);
      } catch (error) {
        subscribers.delete(subscriber);
        if (subscribers.size === 0 && byUri.get(uri) === subscribers) byUri.delete(uri);
        throw error;
      }
    },

    async unsubscribe(upstream: UpstreamConnection, uri: string, subscriber: ResourceSubscriber): Promise<void> {
      const byUri = subscribersOf(upstream);
      const subscribers = byUri.get(uri);
      if (!subscribers?.delete(subscriber) || subscribers.size > 0) return;
      byUri.delete(uri);
      await upstream.unsubscribeResource(uri).catch((error: unknown) => logger.debug({ upstream: upstream.name, err: error }, 'could not unsubscribe upstream'));
    },
  };
}

export type ResourceSubscriptions = ReturnType<typeof createResourceSubscriptions>;
