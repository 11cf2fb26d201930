import type { Logger } from 'pino';
import type { Tool } from '@modelcontextprotocol/server';
import type { UpstreamConnection, UpstreamPrompt, UpstreamResource, UpstreamResourceTemplate } from './upstream/index.ts';

/** How one upstream server is reached; connecting is retried in the background until it succeeds. */
export interface CatalogServer {
  name: string;
  connect(): Promise<UpstreamConnection>;
}

/** One upstream tool as its server defines it; portal-view.ts decides who sees it and under which name. */
export interface CatalogEntry {
  server: string;
  /** The tool's name on its upstream. */
  upstreamName: string;
  upstream: UpstreamConnection;
  definition: Tool;
}

/** What a server offers besides tools. */
export interface ServerExtras {
  upstream: UpstreamConnection;
  prompts: UpstreamPrompt[];
  resources: UpstreamResource[];
  resourceTemplates: UpstreamResourceTemplate[];
}

export interface ToolCatalogOptions {
  portal: string;
  servers: CatalogServer[];
  logger: Logger;
  retryDelayMs?: number;
}

/**
 * The tools of one portal's servers, kept current when an upstream reports a change or reconnects. A server that is down contributes no tools until it is
 * back, rather than failing the whole portal.
 */
export function createToolCatalog(options: ToolCatalogOptions) {
  const { portal, servers, logger } = options;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const connections = new Map<string, UpstreamConnection>();
  const toolsByServer = new Map<string, CatalogEntry[]>();
  const extrasByServer = new Map<string, ServerExtras>();
  const listeners = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const refreshGenerations = new Map<string, number>();
  let closed = false;

  async function refreshServer(server: string): Promise<void> {
    const upstream = connections.get(server);
    if (!upstream) return;
    const generation = (refreshGenerations.get(server) ?? 0) + 1;
    refreshGenerations.set(server, generation);
    // Refreshes can overlap; an older answer arriving after a newer one is stale and must not win.
    const superseded = () => closed || refreshGenerations.get(server) !== generation;
    const extras = listExtras(server, upstream);
    try {
      const tools = await upstream.listTools();
      const listed = await extras;
      if (superseded()) return;
      toolsByServer.set(
        server,
        tools.map((definition) => ({ server, upstreamName: definition.name, upstream, definition })),
      );
      extrasByServer.set(server, listed);
    } catch (error) {
      if (superseded()) return;
      toolsByServer.delete(server);
      extrasByServer.delete(server);
      logger.warn({ portal, server, err: error }, 'could not list the tools of an upstream server; its tools are hidden until it answers');
    }
    for (const listener of listeners) listener();
  }

  /** Prompts and resources are optional for an upstream: one that fails to list them offers none. */
  async function listExtras(server: string, upstream: UpstreamConnection): Promise<ServerExtras> {
    const quietly = async <T>(what: string, list: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await list();
      } catch (error) {
        logger.warn({ portal, server, err: error }, `could not list the ${what} of an upstream server; it offers none until it answers`);
        return [];
      }
    };
    const [prompts, resources, resourceTemplates] = await Promise.all([
      quietly('prompts', () => upstream.listPrompts()),
      quietly('resources', () => upstream.listResources()),
      quietly('resource templates', () => upstream.listResourceTemplates()),
    ]);
    return { upstream, prompts, resources, resourceTemplates };
  }

  async function connectServer(server: CatalogServer): Promise<void> {
    if (closed) return;
    try {
      const upstream = await server.connect();
      if (closed) {
        await upstream.close();
        return;
      }
      connections.set(server.name, upstream);
      upstream.onToolsChanged(() => void refreshServer(server.name));
      await refreshServer(server.name);
    } catch (error) {
      if (closed) return;
      logger.error({ portal, server: server.name, err: error, retry_in_ms: retryDelayMs }, 'could not connect to an upstream server');
      const timer = setTimeout(() => {
        timers.delete(timer);
        void connectServer(server);
      }, retryDelayMs);
      timers.add(timer);
    }
  }

  return {
    /** Connects every server; resolves when each has either listed its tools or failed its first attempt. */
    async start(): Promise<void> {
      await Promise.all(servers.map((server) => connectServer(server)));
    },

    entries(): CatalogEntry[] {
      return [...toolsByServer.values()].flat();
    },

    /** Each connected server's prompts, resources and resource templates. */
    extras(): Map<string, ServerExtras> {
      return extrasByServer;
    },

    onChange(listener: () => void): void {
      listeners.add(listener);
    },

    async close(): Promise<void> {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([...connections.values()].map((upstream) => upstream.close()));
      connections.clear();
    },
  };
}

export type ToolCatalog = ReturnType<typeof createToolCatalog>;
