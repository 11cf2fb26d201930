import type { ResourceRoute } from './policy/prompts-and-resources-view.ts';
import type { ResourceSubscriber, ResourceSubscriptions } from './resource-subscriptions.ts';
import type { UpstreamConnection } from './upstream/index.ts';

/** A `subscriptions/listen` request as it arrives, read only as far as its resource subscriptions. */
interface ListenRequest {
  method: 'subscriptions/listen';
  params: { notifications: { resourceSubscriptions?: unknown } };
}

export interface ListenSubscriptions {
  /** The request to serve: its resource subscriptions cut to the URIs the caller may read. */
  body: unknown;
  /** Ends the stream's share of the upstream subscriptions; call it once, when the stream closes. */
  close(): void;
}

const isListenWithResources = (body: unknown): body is ListenRequest => {
  const message = body as { method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } } | undefined;
  return message?.method === 'subscriptions/listen' && Array.isArray(message.params?.notifications?.resourceSubscriptions);
};

/**
 * Resource subscriptions of 2026-07-28 clients in one portal, which ask for them on a
 * `subscriptions/listen` stream rather than with `resources/subscribe`. Each URI a caller may read
 * is subscribed upstream (shared with sessions through ResourceSubscriptions) while any stream
 * wants it, and an update is published once to the portal's listeners, which pass it to the
 * streams that asked for that URI. A URI the caller may not read is dropped from the request, so
 * the acknowledgement does not list it as honored and no update about it reaches the caller.
 */
export function createListenSubscriptions(subscriptions: ResourceSubscriptions, publish: ResourceSubscriber) {
  const streams = new Map<UpstreamConnection, Map<string, number>>();
  const countsOf = (upstream: UpstreamConnection) => {
    let counts = streams.get(upstream);
    if (!counts) streams.set(upstream, (counts = new Map()));
    return counts;
  };

  async function share(upstream: UpstreamConnection, uri: string): Promise<boolean> {
    const counts = countsOf(upstream);
    const count = counts.get(uri) ?? 0;
    counts.set(uri, count + 1);
    if (count > 0) return true;
    try {
      await subscriptions.subscribe(upstream, uri, publish);
      return true;
    } catch {
      // An upstream that refuses the subscription leaves it unhonored, as for a URI nobody serves.
      release(upstream, uri);
      return false;
    }
  }

  function release(upstream: UpstreamConnection, uri: string): void {
    const counts = countsOf(upstream);
    const left = (counts.get(uri) ?? 1) - 1;
    if (left > 0) return void counts.set(uri, left);
    counts.delete(uri);
    void subscriptions.unsubscribe(upstream, uri, publish);
  }

  return {
    /** The listen request with the resource subscriptions the caller gets; undefined for any other request. */
    async open(body: unknown, route: (uri: string) => ResourceRoute): Promise<ListenSubscriptions | undefined> {
      if (!isListenWithResources(body)) return undefined;
      const requested = (body.params.notifications.resourceSubscriptions as unknown[]).filter((uri): uri is string => typeof uri === 'string');
      const held: Array<{ upstream: UpstreamConnection; uri: string }> = [];
      for (const uri of new Set(requested)) {
        const target = route(uri);
        if (target.server !== undefined && (await share(target.upstream, uri))) held.push({ upstream: target.upstream, uri });
      }
      const resourceSubscriptions = held.map(({ uri }) => uri);
      return {
        body: { ...body, params: { ...body.params, notifications: { ...body.params.notifications, resourceSubscriptions } } },
        close: () => held.forEach(({ upstream, uri }) => release(upstream, uri)),
      };
    },
  };
}

export type ListenSubscriptionsOfPortal = ReturnType<typeof createListenSubscriptions>;
