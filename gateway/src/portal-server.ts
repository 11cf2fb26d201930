import { ProtocolError, ResourceNotFoundError, Server, type GetPromptResult, type ReadResourceResult, type Tool } from '@modelcontextprotocol/server';
import type { Principal } from '../../events/src/index.ts';
import { toolCallThrough } from './call-tool.ts';
import type { CheckedExchange } from './checked-exchange.ts';
import { UNKNOWN_TOOL_RPC_CODE } from './errors.ts';
import { promptsOffered, resourcesOffered } from './policy/prompts-and-resources-view.ts';
import { toolsOffered, type PortalPolicy } from './policy/portal-view.ts';
import type { ToolCatalog } from './tool-catalog.ts';
import type { DenialAudit } from './denial-audit.ts';
import type { PinStatus } from './pinning/tool-pinning.ts';

/** A portal as it is served now: its policy and DLP profile from the config, its live tool catalog. */
export interface McpPortal {
  policy: PortalPolicy;
  dlpProfile: string;
  catalog: ToolCatalog;
  /** Tool pinning's verdict on each tool, read once per request; absent when pinning is off. */
  pinStatus?: () => (server: string, tool: Tool) => PinStatus;
}

export interface PortalServerContext {
  portal: McpPortal;
  principal: Principal;
  traceId: string | undefined;
  /** Every tool call, prompt and resource read goes through it: DLP both ways, audited. */
  exchange: CheckedExchange;
  upstreamTimeoutMs: number;
  auditDenial: DenialAudit;
  serverVersion: string;
}

/** A refused prompt or resource read: unlike a tool call, these have no error result, so the refusal is a JSON-RPC error. */
const REFUSED_RPC_CODE = -32600;

/**
 * The MCP server one request talks to, bound to its caller: it lists and runs only the tools,
 * prompts and resources the portal's policy offers that caller. Something hidden is answered
 * exactly like something that does not exist, so callers cannot probe for what they may not see.
 */
export function createPortalServer(context: PortalServerContext): Server {
  const { portal, principal, traceId, exchange, auditDenial } = context;
  const callTool = toolCallThrough(exchange, context.upstreamTimeoutMs);
  const call = { timeoutMs: context.upstreamTimeoutMs };
  const server = new Server(
    { name: 'gatehouse', version: context.serverVersion },
    {
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
      instructions: `Gatehouse portal "${portal.policy.name}": tools, prompts and resources of its servers, checked by policy and DLP.`,
    },
  );
  const prompts = () => promptsOffered(portal.policy, portal.catalog.extras(), principal);
  const resources = () => resourcesOffered(portal.policy, portal.catalog.extras(), principal);
  const checked = { principal, portal: portal.policy.name, profile: portal.dlpProfile, traceId };
  const offered = () => toolsOffered(portal.policy, portal.catalog.entries(), principal, portal.pinStatus?.());

  server.setRequestHandler('tools/list', async () => ({ tools: offered().list() }));
  server.setRequestHandler('tools/call', async (request) => {
    const name = request.params.name;
    const lookup = offered().lookup(name);
    if (!lookup.offered) {
      await auditDenial({
        principal,
        portal: portal.policy.name,
        tool: name,
        reason: 'unknown_tool',
        detail: lookup.rule ? 'the tool is hidden from this caller' : 'no such tool in this portal',
        ...(lookup.rule ? { rule: lookup.rule } : {}),
        traceId,
      });
      throw new ProtocolError(UNKNOWN_TOOL_RPC_CODE, `Unknown tool "${name}" in portal "${portal.policy.name}". Call tools/list for the tools available to you.`);
    }
    return callTool({ ...checked, entry: lookup.tool.entry, arguments: request.params.arguments ?? {} });
  });

  server.setRequestHandler('prompts/list', async () => ({ prompts: prompts().list() }));
  server.setRequestHandler('prompts/get', async (request) => {
    const name = request.params.name;
    const lookup = prompts().lookup(name);
    if (!lookup.offered) {
      await auditDenial({ principal, portal: portal.policy.name, tool: name, reason: 'unknown_tool', detail: 'no such prompt for this caller', ...(lookup.rule ? { rule: lookup.rule } : {}), traceId });
      throw new ProtocolError(UNKNOWN_TOOL_RPC_CODE, `Unknown prompt "${name}" in portal "${portal.policy.name}". Call prompts/list for the prompts available to you.`);
    }
    const { prompt } = lookup;
    const outcome = await exchange<GetPromptResult>({
      ...checked,
      server: prompt.server,
      operation: 'prompts/get',
      target: prompt.upstreamName,
      arguments: request.params.arguments ?? {},
      run: (forwarded) => prompt.upstream.getPrompt(prompt.upstreamName, stringValues(forwarded), call),
      asResult: (payload) => (payload && typeof payload === 'object' && Array.isArray((payload as { messages?: unknown }).messages) ? (payload as GetPromptResult) : undefined),
    });
    if (!outcome.ok) throw new ProtocolError(REFUSED_RPC_CODE, outcome.message);
    return outcome.result;
  });

  server.setRequestHandler('resources/list', async () => ({ resources: resources().resources() }));
  server.setRequestHandler('resources/templates/list', async () => ({ resourceTemplates: resources().templates() }));
  server.setRequestHandler('resources/read', async (request) => {
    const uri = request.params.uri;
    const route = resources().route(uri);
    if (route.server === undefined) {
      await auditDenial({ principal, portal: portal.policy.name, tool: uri, reason: 'unknown_tool', detail: 'no such resource for this caller', ...(route.rule ? { rule: route.rule } : {}), traceId });
      throw new ResourceNotFoundError(uri);
    }
    const { upstream } = route;
    const outcome = await exchange<ReadResourceResult>({
      ...checked,
      server: route.server,
      operation: 'resources/read',
      target: uri,
      arguments: { uri },
      run: () => upstream.readResource(uri, call),
      asResult: (payload) => (payload && typeof payload === 'object' && Array.isArray((payload as { contents?: unknown }).contents) ? (payload as ReadResourceResult) : undefined),
    });
    if (!outcome.ok) throw new ProtocolError(REFUSED_RPC_CODE, outcome.message);
    return outcome.result;
  });
  return server;
}

/** Prompt arguments are strings; a redacted copy is too, but a verdict is checked rather than trusted. */
function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}
