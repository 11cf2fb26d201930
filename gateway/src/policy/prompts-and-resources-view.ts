import { UriTemplate, type Prompt } from '@modelcontextprotocol/server';
import type { Principal } from '../../../events/src/index.ts';
import type { ServerExtras } from '../tool-catalog.ts';
import type { UpstreamConnection, UpstreamResource, UpstreamResourceTemplate } from '../upstream/index.ts';
import { allowedBy } from './access-rule.ts';
import { itemVisibility } from './item-visibility.ts';
import { exposedName, serverRule, type PortalPolicy } from './portal-view.ts';

export interface OfferedPrompt {
  name: string;
  server: string;
  upstreamName: string;
  upstream: UpstreamConnection;
  definition: Prompt;
}

export type PromptLookup = { offered: true; prompt: OfferedPrompt } | { offered: false; rule?: string };

/**
 * The prompts one caller may use in a portal: named and filtered exactly like tools
 * (`<server><separator><prompt>`, the server's `prompts:` policy, aliases and descriptions).
 */
export function promptsOffered(portal: PortalPolicy, extras: Map<string, ServerExtras>, principal: Principal) {
  const offered = new Map<string, OfferedPrompt>();
  const hidden = new Map<string, string>();
  for (const server of portal.servers) {
    const found = extras.get(server.name);
    if (!found) continue;
    for (const prompt of found.prompts) {
      const alias = server.prompts.rules[prompt.name]?.alias;
      const name = exposedName(portal, server.name, alias ?? prompt.name);
      const visibility = allowedBy(server.access, principal) ? itemVisibility('prompts', server.prompts, prompt, principal) : { visible: false as const, rule: 'access' };
      if (!visibility.visible) {
        hidden.set(name, serverRule(portal.name, server.name, visibility.rule));
        continue;
      }
      if (offered.has(name)) continue;
      const definition = { ...prompt, name, ...(visibility.description ? { description: visibility.description } : {}) };
      offered.set(name, { name, server: server.name, upstreamName: prompt.name, upstream: found.upstream, definition });
    }
  }
  return {
    list: (): Prompt[] => [...offered.values()].map((prompt) => prompt.definition),
    lookup(name: string): PromptLookup {
      const prompt = offered.get(name);
      if (prompt) return { offered: true, prompt };
      const rule = hidden.get(name);
      return rule ? { offered: false, rule } : { offered: false };
    },
  };
}

export type ResourceRoute = { server: string; upstream: UpstreamConnection } | { server: undefined; rule?: string };

/**
 * The resources one caller may read in a portal: those of the servers whose access rule lets the
 * caller in. URIs are passed through unchanged; a read goes to the server that lists the URI, or
 * whose resource template matches it.
 */
export function resourcesOffered(portal: PortalPolicy, extras: Map<string, ServerExtras>, principal: Principal) {
  const reachable = portal.servers.flatMap((server) => {
    const found = extras.get(server.name);
    return found ? [{ server: server.name, found, allowed: allowedBy(server.access, principal) }] : [];
  });
  const allowed = reachable.filter((entry) => entry.allowed);
  const matches = (entry: (typeof reachable)[number], uri: string) =>
    entry.found.resources.some((resource) => resource.uri === uri) ||
    entry.found.resourceTemplates.some((template) => {
      try {
        return new UriTemplate(template.uriTemplate).match(uri) !== null;
      } catch {
        return false;
      }
    });
  return {
    resources: (): UpstreamResource[] => allowed.flatMap((entry) => entry.found.resources),
    templates: (): UpstreamResourceTemplate[] => allowed.flatMap((entry) => entry.found.resourceTemplates),
    route(uri: string): ResourceRoute {
      const target = allowed.find((entry) => matches(entry, uri));
      if (target) return { server: target.server, upstream: target.found.upstream };
      const hiddenBy = reachable.find((entry) => !entry.allowed && matches(entry, uri));
      return hiddenBy ? { server: undefined, rule: serverRule(portal.name, hiddenBy.server, 'access') } : { server: undefined };
    },
    /** The server a resource template (as completion names it) belongs to. */
    templateRoute(uriTemplate: string): ResourceRoute {
      const target = allowed.find((entry) => entry.found.resourceTemplates.some((template) => template.uriTemplate === uriTemplate));
      return target ? { server: target.server, upstream: target.found.upstream } : { server: undefined };
    },
  };
}
