import { Client, ProtocolError, type VersionNegotiationMode } from '@modelcontextprotocol/client';
import type { InFlightRelays, RelayedRequestMethod } from './call-relay.ts';

const GATEHOUSE_CLIENT_INFO = { name: 'gatehouse', version: '0.1.0' } as const;

/** JSON-RPC "invalid request": the upstream asked for something no client can be found to answer. */
const NO_CLIENT_RPC_CODE = -32600;

export interface UpstreamClientEvents {
  /** The upstream's tools, prompts or resources changed. */
  onToolsChanged(): void;
  /** A subscribed resource changed. */
  onResourceUpdated(uri: string): void;
}

/**
 * The SDK client the gateway uses toward one upstream session. It offers sampling and
 * elicitation, answered by the client whose call is in flight (see InFlightRelays), and passes
 * log messages the same way. `notifications/tools/list_changed` (or, on a 2026-07-28 session,
 * the listen subscription the SDK opens for it) reaches `onToolsChanged` without a refetch: the
 * gateway decides when to list again.
 */
export function createUpstreamClient(events: UpstreamClientEvents, relays: InFlightRelays, negotiation: VersionNegotiationMode): Client {
  const client = new Client(GATEHOUSE_CLIENT_INFO, {
    versionNegotiation: { mode: negotiation },
    capabilities: { sampling: {}, elicitation: { form: {}, url: {} } },
    listChanged: {
      tools: { autoRefresh: false, debounceMs: 50, onChanged: () => events.onToolsChanged() },
      prompts: { autoRefresh: false, debounceMs: 50, onChanged: () => events.onToolsChanged() },
      resources: { autoRefresh: false, debounceMs: 50, onChanged: () => events.onToolsChanged() },
    },
  });
  const relay = (method: RelayedRequestMethod, params: Record<string, unknown>, signal: AbortSignal) => {
    const target = relays.target();
    if (!target) {
      const why = relays.size === 0 ? 'no call is in flight' : 'calls of several clients are in flight';
      throw new ProtocolError(NO_CLIENT_RPC_CODE, `Gatehouse cannot pass ${method} to a client: ${why}; send it while serving a call, one client at a time`);
    }
    return target.request(method, params, signal);
  };
  client.setRequestHandler('sampling/createMessage', (request, ctx) => relay(request.method, request.params, ctx.mcpReq.signal) as never);
  client.setRequestHandler('elicitation/create', (request, ctx) => relay(request.method, request.params, ctx.mcpReq.signal) as never);
  client.setNotificationHandler('notifications/message', (notification) => relays.target()?.log(notification.params));
  client.setNotificationHandler('notifications/resources/updated', (notification) => events.onResourceUpdated(notification.params.uri));
  return client;
}
