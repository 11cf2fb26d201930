import type { Logger } from 'pino';
import type { AccessRule, ItemPolicy } from './config-schema.ts';
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
}) {
  const { connectUpstream, logger } = options;
  let current: PortalRuntime[] = [];

  function newCatalog(portal: GatewayPortal): ToolCatalog {
    const catalog = createToolCatalog({
      portal: portal.name,
      logger,
      servers: portal.servers.map((server) => ({ name: server.name, connect: () => connectUpstream(server.spec, logger.child({ upstream: server.name })) })),
    });
    catalog.onChange(() => options.onToolsChanged(portal.name));
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
        return { policy: portal, dlpProfile: portal.dlpProfile, catalog, upstreamKey };
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
