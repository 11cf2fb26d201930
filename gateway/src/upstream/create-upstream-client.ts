import { Client, type VersionNegotiationMode } from '@modelcontextprotocol/client';

const GATEHOUSE_CLIENT_INFO = { name: 'gatehouse', version: '0.1.0' } as const;

/**
 * The SDK client the gateway uses toward one upstream session. It declares no client
 * capabilities (no sampling, elicitation or roots), so upstream servers cannot reach the
 * gateway's users through it. `notifications/tools/list_changed` (or, on a 2026-07-28 session,
 * the listen subscription the SDK opens for it) reaches `onToolsChanged` without a refetch:
 * the gateway decides when to list again.
 */
export function createUpstreamClient(onToolsChanged: () => void, negotiation: VersionNegotiationMode): Client {
  return new Client(GATEHOUSE_CLIENT_INFO, {
    versionNegotiation: { mode: negotiation },
    listChanged: {
      tools: { autoRefresh: false, debounceMs: 50, onChanged: () => onToolsChanged() },
    },
  });
}
