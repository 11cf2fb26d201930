import type { Client } from '@modelcontextprotocol/client';
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
 * The MCP operations the gateway relays, written once for every transport: each connection only
 * says how a request reaches its live client.
 */
export function upstreamOperations(request: RunUpstreamRequest) {
  return {
    listTools(): Promise<UpstreamTool[]> {
      return request('tools/list', { retrySafe: true }, (client, timeout) =>
        allPages(async (cursor) => {
          const page = await client.listTools(cursor ? { cursor } : undefined, { timeout });
          return { items: page.tools, nextCursor: page.nextCursor };
        }),
      );
    },
    callTool(name: string, args: Record<string, unknown>, call: UpstreamCallOptions = {}): Promise<UpstreamCallResult> {
      return request(`tools/call ${name}`, { retrySafe: false, call }, (client, timeout, signal) => client.callTool({ name, arguments: args }, { signal, timeout }));
    },
    listPrompts(): Promise<UpstreamPrompt[]> {
      return request('prompts/list', { retrySafe: true }, (client, timeout) =>
        client.getServerCapabilities()?.prompts
          ? allPages(async (cursor) => {
              const page = await client.listPrompts(cursor ? { cursor } : undefined, { timeout });
              return { items: page.prompts, nextCursor: page.nextCursor };
            })
          : Promise.resolve([]),
      );
    },
    getPrompt(name: string, args: Record<string, string>, call: UpstreamCallOptions = {}): Promise<UpstreamPromptResult> {
      return request(`prompts/get ${name}`, { retrySafe: true, call }, (client, timeout, signal) => client.getPrompt({ name, arguments: args }, { signal, timeout }));
    },
    listResources(): Promise<UpstreamResource[]> {
      return request('resources/list', { retrySafe: true }, (client, timeout) =>
        client.getServerCapabilities()?.resources
          ? allPages(async (cursor) => {
              const page = await client.listResources(cursor ? { cursor } : undefined, { timeout });
              return { items: page.resources, nextCursor: page.nextCursor };
            })
          : Promise.resolve([]),
      );
    },
    listResourceTemplates(): Promise<UpstreamResourceTemplate[]> {
      return request('resources/templates/list', { retrySafe: true }, (client, timeout) =>
        client.getServerCapabilities()?.resources
          ? allPages(async (cursor) => {
              const page = await client.listResourceTemplates(cursor ? { cursor } : undefined, { timeout });
              return { items: page.resourceTemplates, nextCursor: page.nextCursor };
            })
          : Promise.resolve([]),
      );
    },
    readResource(uri: string, call: UpstreamCallOptions = {}): Promise<UpstreamResourceContents> {
      return request(`resources/read ${uri}`, { retrySafe: true, call }, (client, timeout, signal) => client.readResource({ uri }, { signal, timeout }));
    },
  };
}
