import type { Tool } from '@modelcontextprotocol/server';
import type { Principal } from '../../../events/src/index.ts';
import type { AccessRule, ItemPolicy } from '../config-schema.ts';
import type { PinStatus } from '../pinning/tool-pinning.ts';
import type { CatalogEntry } from '../tool-catalog.ts';
import { allowedBy } from './access-rule.ts';
import { itemVisibility } from './item-visibility.ts';

/** The policy of one portal as the gateway applies it; rule paths in denials name these settings. */
export interface PortalPolicy {
  name: string;
  /** `none`: served without a token, on loopback only; absent: a token is required. */
  authentication?: 'required' | 'none';
  access?: AccessRule;
  toolPrefix: boolean;
  toolSeparator: string;
  servers: Array<{ name: string; access?: AccessRule; tools: ItemPolicy; prompts: ItemPolicy }>;
}

export interface OfferedTool {
  /** The name the caller sees and calls. */
  name: string;
  entry: CatalogEntry;
  /** The upstream definition under the offered name and description. */
  definition: Tool;
}

export type ToolLookup =
  | { offered: true; tool: OfferedTool }
  /** `rule` is the setting that hides the tool from this caller; absent when no such tool exists at all. */
  | { offered: false; rule?: string };

export const portalRule = (portal: string) => `portals[${portal}].access`;
/** Hides a tool whose definition changed since it was approved, until it is approved again. */
export const TOOL_PINNING_RULE = 'gateway.tool_pinning';
/** The path in gatehouse.yaml of a server's setting, as denials name the rule that decided. */
export const serverRule = (portal: string, server: string, setting: string) => `portals[${portal}].servers[${server}].${setting}`;

/** The name a caller sees for a server's tool or prompt: `<server><separator><name>`, or the bare name without a prefix. */
export const exposedName = (portal: PortalPolicy, server: string, name: string) => (portal.toolPrefix ? `${server}${portal.toolSeparator}${name}` : name);

/**
 * What one caller may use in a portal: the tools of the servers they may reach, filtered by each
 * server's tool policy, under namespaced (and possibly aliased) names. Computed per request, so a
 * policy or tool-list change applies to the next request.
 */
export function toolsOffered(portal: PortalPolicy, entries: CatalogEntry[], principal: Principal, pinStatus?: (server: string, tool: Tool) => PinStatus) {
  const offered = new Map<string, OfferedTool>();
  const hidden = new Map<string, string>();

  for (const entry of entries) {
    const server = portal.servers.find((candidate) => candidate.name === entry.server);
    if (!server) continue;
    const name = exposedName(portal, entry.server, server.tools.rules[entry.upstreamName]?.alias ?? entry.upstreamName);
    if (!allowedBy(server.access, principal)) {
      hidden.set(name, serverRule(portal.name, entry.server, 'access'));
      continue;
    }
    const visibility = itemVisibility('tools', server.tools, entry.definition, principal);
    if (!visibility.visible) {
      hidden.set(name, serverRule(portal.name, entry.server, visibility.rule));
      continue;
    }
    if (pinStatus?.(entry.server, entry.definition) === 'withheld') {
      hidden.set(name, TOOL_PINNING_RULE);
      continue;
    }
    if (offered.has(name)) continue;
    offered.set(name, {
      name,
      entry,
      definition: { ...entry.definition, name, ...(visibility.description ? { description: visibility.description } : {}) },
    });
  }

  return {
    list(): Tool[] {
      return [...offered.values()].map((tool) => tool.definition);
    },
    lookup(name: string): ToolLookup {
      const tool = offered.get(name);
      if (tool) return { offered: true, tool };
      const rule = hidden.get(name);
      return rule ? { offered: false, rule } : { offered: false };
    },
  };
}

export type ToolsOffered = ReturnType<typeof toolsOffered>;
