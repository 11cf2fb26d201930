import type { Logger } from 'pino';
import type { AccessRule, ItemPolicy } from './config-schema.ts';
import type { Tool } from '@modelcontextprotocol/server';
import type { PinStatus, ToolPinning } from './pinning/tool-pinning.ts';
import type { McpPortal } from './portal-server.ts';
import { createToolCatalog, type ToolCatalog } from './tool-catalog.ts';
import type { UpstreamConnection, UpstreamSpec } from './upstream/index.ts';

export interface GatewayServer {
  name: string;
  /** How to reach the upstream, secrets resolved. */
  spec: UpstreamSpec;
  access?: AccessRule;
  tools: ItemPolicy;
  prompts: ItemPolicy;
}

export interface GatewayPortal {
  name: string;
  authentication?: 'required' | 'none';
  access?: AccessRule;
  dlpProfile: string;
  toolPrefix: boolean;
  toolSeparator: string;
  servers: GatewayServer[];
}

interface PortalRuntime extends McpPortal {
  /** Identifies the upstream settings the catalog was built from. */
  upstreamKey: string;
}

const upstreamKeyOf = (portal: GatewayPortal) => JSON.stringify(portal.servers.map((server) => server.spec));

/**
 * The portals being served. Applying a new set swaps it in at once; a portal whose upstream
 * settings are unchanged keeps its catalog and connections, so a policy edit never restarts an
 * upstream server.
 */
export function createPortalRegistry(options: {
  connectUpstream: (spec: UpstreamSpec, logger: Logger) => Promise<UpstreamConnection>;
  logger: Logger;
  onToolsChanged: (portal: string) => void;
  pinning?: ToolPinning;
}) {
  const { pinning } = options;
  const { connectUpstream, logger } = options;
  let current: PortalRuntime[] = [];

  /** A pin file that cannot be read withholds every tool rather than offering unchecked ones. */
  function pinStatusIn(pins: ToolPinning, portal: string): (server: string, tool: Tool) => PinStatus {
    try {
      return pins.statusIn(portal);
    } catch (error) {
      logger.error({ portal, err: error }, 'cannot read the tool pins; every tool of the portal is withheld');
      return () => 'withheld';
    }
  }

  function observe(portal: string, catalog: ToolCatalog): void {
    const byServer = new Map<string, Tool[]>();
    for (const entry of catalog.entries()) byServer.set(entry.server, [...(byServer.get(entry.server) ?? []), entry.definition]);
    try {
      for (const [server, tools] of byServer) pinning!.observe(portal, server, tools);
    } catch (error) {
      logger.error({ portal, err: error }, 'could not record tool fingerprints; changed tools stay withheld');
    }
  }

  function newCatalog(portal: GatewayPortal): ToolCatalog {
    const catalog = createToolCatalog({
      portal: portal.name,
      logger,
      servers: portal.servers.map((server) => ({ name: server.name, connect: () => connectUpstream(server.spec, logger.child({ upstream: server.name })) })),
    });
    catalog.onChange(() => {
      if (pinning) observe(portal.name, catalog);
      options.onToolsChanged(portal.name);
    });
    return catalog;
  }

  return {
    portals(): McpPortal[] {
      return current;
    },

    async apply(portals: GatewayPortal[]): Promise<void> {
      const started: Array<Promise<void>> = [];
      const next = portals.map((portal): PortalRuntime => {
        const upstreamKey = upstreamKeyOf(portal);
        const reused = current.find((runtime) => runtime.policy.name === portal.name && runtime.upstreamKey === upstreamKey);
        let catalog = reused?.catalog;
        if (!catalog) {
          catalog = newCatalog(portal);
          started.push(catalog.start());
        }
        return { policy: portal, dlpProfile: portal.dlpProfile, catalog, upstreamKey, ...(pinning ? { pinStatus: () => pinStatusIn(pinning, portal.name) } : {}) };
      });
      await Promise.all(started);
      const retired = current.filter((runtime) => !next.some((kept) => kept.catalog === runtime.catalog));
      current = next;
      for (const portal of next) options.onToolsChanged(portal.policy.name);
      await Promise.all(retired.map((runtime) => runtime.catalog.close()));
    },

    async close(): Promise<void> {
      const closing = current;
      current = [];
      await Promise.all(closing.map((runtime) => runtime.catalog.close()));
    },
  };
}
