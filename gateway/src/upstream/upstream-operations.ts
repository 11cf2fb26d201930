import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, SERVER_INFO_META_KEY, type Client, type CompleteRequest, type CompleteResult, type McpSubscription, type RequestOptions } from '@modelcontextprotocol/client';
import type { InFlightRelays } from './call-relay.ts';
import type {
  UpstreamCallOptions,
  UpstreamCallResult,
  UpstreamPrompt,
  UpstreamPromptResult,
  UpstreamResource,
  UpstreamResourceContents,
  UpstreamResourceTemplate,
  UpstreamTool,
} from './upstream-connection.ts';

/**
 * Runs one MCP request on a connection's live client. `retrySafe`: the request may be sent again
 * after the connection was lost (it reads, or provably never reached the server).
 */
export type RunUpstreamRequest = <T>(
  method: string,
  options: { retrySafe: boolean; call?: UpstreamCallOptions },
  run: (client: Client, timeoutMs: number, signal: AbortSignal | undefined) => Promise<T>,
) => Promise<T>;

/** Follows `nextCursor` until the last page; a malicious upstream cannot keep the gateway paging forever. */
async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (!result.nextCursor) return items;
    cursor = result.nextCursor;
  }
  return items;
}

/**
 * What a 2026-07-28 request carries for the caller besides its own params: the log level it
 * takes, the capabilities of the client behind the gateway (so the upstream asks only for input
 * that client can give), and a retried input round's answers and state. A 2025 server has none
 * of these: it goes by its session's level and the gateway's capabilities, and never asks for
 * input by answering a request.
 */
function callerParams(client: Client, call: UpstreamCallOptions): Record<string, unknown> {
  if (client.getProtocolEra() !== 'modern') return {};
  const { relay, input } = call;
  const meta: Record<string, unknown> = {};
  if (relay?.logLevel !== undefined) meta[LOG_LEVEL_META_KEY] = relay.logLevel;
  if (relay?.clientCapabilities !== undefined) meta[CLIENT_CAPABILITIES_META_KEY] = relay.clientCapabilities;
  return {
    ...(Object.keys(meta).length > 0 ? { _meta: meta } : {}),
    ...(input?.inputResponses !== undefined ? { inputResponses: input.inputResponses } : {}),
    ...(input?.requestState !== undefined ? { requestState: input.requestState } : {}),
  };
}

/**
 * Per-request SDK options: the bound, the caller's cancellation, its progress relayed, and an
 * input-required answer handed back rather than fulfilled here, so it reaches the caller.
 */
function requestOptions(timeout: number, signal: AbortSignal | undefined, call: UpstreamCallOptions): RequestOptions {
  const progress = call.relay?.progress;
  return { signal, timeout, allowInputRequired: true, ...(progress ? { onprogress: (update) => progress(update), resetTimeoutOnProgress: false } : {}) };
}

/**
 * A 2026-07-28 result names the server that produced it; the client talks to the gateway, which
 * names itself on what it returns, so the upstream's name (and version) is dropped here.
 */
function withoutServerIdentity<T extends object>(result: T): T {
  const meta = (result as { _meta?: Record<string, unknown> })._meta;
  if (!meta || !(SERVER_INFO_META_KEY in meta)) return result;
  const { [SERVER_INFO_META_KEY]: _upstream, ...rest } = meta;
  return { ...result, _meta: rest };
}

/**
 * The MCP operations the gateway relays, written once for every transport: each connection only
 * says how a request reaches its live client. Calls that may make the upstream talk back (log,
 * sample, elicit) are tracked in `relays` while in flight, so it can reach their client.
 */
export function upstreamOperations(request: RunUpstreamRequest, relays: InFlightRelays) {
  const relayed = <T extends object>(method: string, retrySafe: boolean, call: UpstreamCallOptions, run: (client: Client, options: RequestOptions, params: Record<string, unknown>) => Promise<T>) =>
    relays.track(call.relay, () =>
      request(method, { retrySafe, call }, async (client, timeout, signal) => {
        const result = await run(client, requestOptions(timeout, signal, call), callerParams(client, call));
        await call.relay?.delivered();
        return withoutServerIdentity(result);
      }),
    );
  /** Every page of a list; empty when the upstream lacks the capability the list belongs to. */
  const listAll = <T>(
    method: string,
    capable: (client: Client) => boolean,
    fetchPage: (client: Client, cursor: string | undefined, timeout: number) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
  ): Promise<T[]> =>
    request(method, { retrySafe: true }, (client, timeout) => (capable(client) ? allPages((cursor) => fetchPage(client, cursor, timeout)) : Promise.resolve([])));
  const page = (cursor: string | undefined) => (cursor ? { cursor } : undefined);
  // A 2026-07-28 server has no resources/subscribe: a resource is watched through a listen stream of its own.
  const listens = new Map<string, McpSubscription>();

  return {
    listTools(): Promise<UpstreamTool[]> {
      return listAll('tools/list', () => true, async (client, cursor, timeout) => {
        const result = await client.listTools(page(cursor), { timeout });
        return { items: result.tools, nextCursor: result.nextCursor };
      });
    },
    callTool(name: string, args: Record<string, unknown>, call: UpstreamCallOptions = {}): Promise<UpstreamCallResult> {
      return relayed(`tools/call ${name}`, false, call, (client, options, params) => client.callTool({ name, arguments: args, ...params }, options));
    },
    listPrompts(): Promise<UpstreamPrompt[]> {
      return listAll('prompts/list', (client) => Boolean(client.getServerCapabilities()?.prompts), async (client, cursor, timeout) => {
        const result = await client.listPrompts(page(cursor), { timeout });
        return { items: result.prompts, nextCursor: result.nextCursor };
      });
    },
    getPrompt(name: string, args: Record<string, string>, call: UpstreamCallOptions = {}): Promise<UpstreamPromptResult> {
      return relayed(`prompts/get ${name}`, true, call, (client, options, params) => client.getPrompt({ name, arguments: args, ...params }, options));
    },
    listResources(): Promise<UpstreamResource[]> {
      return listAll('resources/list', (client) => Boolean(client.getServerCapabilities()?.resources), async (client, cursor, timeout) => {
        const result = await client.listResources(page(cursor), { timeout });
        return { items: result.resources, nextCursor: result.nextCursor };
      });
    },
    listResourceTemplates(): Promise<UpstreamResourceTemplate[]> {
      return listAll('resources/templates/list', (client) => Boolean(client.getServerCapabilities()?.resources), async (client, cursor, timeout) => {
        const result = await client.listResourceTemplates(page(cursor), { timeout });
        return { items: result.resourceTemplates, nextCursor: result.nextCursor };
      });
    },
    readResource(uri: string, call: UpstreamCallOptions = {}): Promise<UpstreamResourceContents> {
      return relayed(`resources/read ${uri}`, true, call, (client, options, params) => client.readResource({ uri, ...params }, options));
    },
    /** Completion suggestions; none when the upstream lacks the completions capability. */
    complete(params: CompleteRequest['params'], call: UpstreamCallOptions = {}): Promise<CompleteResult> {
      return relayed('completion/complete', true, call, (client, options) =>
        client.getServerCapabilities()?.completions ? client.complete(params, options) : Promise.resolve({ completion: { values: [] } }),
      );
    },
    subscribeResource(uri: string): Promise<void> {
      return request(`resources/subscribe ${uri}`, { retrySafe: true }, async (client, timeout) => {
        if (client.getProtocolEra() !== 'modern') {
          await client.subscribeResource({ uri }, { timeout });
        } else if (!listens.has(uri)) {
          listens.set(uri, await client.listen({ resourceSubscriptions: [uri] }, { timeout }));
        }
      });
    },
    unsubscribeResource(uri: string): Promise<void> {
      const listen = listens.get(uri);
      listens.delete(uri);
      if (listen) return listen.close();
      return request(`resources/unsubscribe ${uri}`, { retrySafe: true }, async (client, timeout) => {
        await client.unsubscribeResource({ uri }, { timeout });
      });
    },
  };
}
