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
  /** Every page of a list; empty when the upstream lacks the capability the list belongs to. */
  const listAll = <T>(
    method: string,
    capable: (client: Client) => boolean,
    fetchPage: (client: Client, cursor: string | undefined, timeout: number) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
  ): Promise<T[]> =>
    request(method, { retrySafe: true }, (client, timeout) => (capable(client) ? allPages((cursor) => fetchPage(client, cursor, timeout)) : Promise.resolve([])));
  const page = (cursor: string | undefined) => (cursor ? { cursor } : undefined);

  return {
    listTools(): Promise<UpstreamTool[]> {
      return listAll('tools/list', () => true, async (client, cursor, timeout) => {
        const result = await client.listTools(page(cursor), { timeout });
        return { items: result.tools, nextCursor: result.nextCursor };
      });
    },
    callTool(name: string, args: Record<string, unknown>, call: UpstreamCallOptions = {}): Promise<UpstreamCallResult> {
      return request(`tools/call ${name}`, { retrySafe: false, call }, (client, timeout, signal) => client.callTool({ name, arguments: args }, { signal, timeout }));
    },
    listPrompts(): Promise<UpstreamPrompt[]> {
      return listAll('prompts/list', (client) => Boolean(client.getServerCapabilities()?.prompts), async (client, cursor, timeout) => {
        const result = await client.listPrompts(page(cursor), { timeout });
        return { items: result.prompts, nextCursor: result.nextCursor };
      });
    },
    getPrompt(name: string, args: Record<string, string>, call: UpstreamCallOptions = {}): Promise<UpstreamPromptResult> {
      return request(`prompts/get ${name}`, { retrySafe: true, call }, (client, timeout, signal) => client.getPrompt({ name, arguments: args }, { signal, timeout }));
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
      return request(`resources/read ${uri}`, { retrySafe: true, call }, (client, timeout, signal) => client.readResource({ uri }, { signal, timeout }));
    },
  };
}
