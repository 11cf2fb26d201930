import { ProtocolError, Server, type Tool } from '@modelcontextprotocol/server';
import type { Principal } from '../../events/src/index.ts';
import type { CallTool } from './call-tool.ts';
import { UNKNOWN_TOOL_RPC_CODE } from './errors.ts';
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
  callTool: CallTool;
  auditDenial: DenialAudit;
  serverVersion: string;
}

/**
 * The MCP server one request talks to, bound to its caller: it lists and runs only what the
 * portal's policy offers that caller. A hidden tool is answered exactly like one that does not
 * exist, so callers cannot probe for what they may not see.
 */
export function createPortalServer(context: PortalServerContext): Server {
  const { portal, principal, traceId, callTool, auditDenial } = context;
  const server = new Server(
    { name: 'gatehouse', version: context.serverVersion },
    {
      capabilities: { tools: { listChanged: true } },
      instructions: `Gatehouse portal "${portal.policy.name}": tools of its servers, checked by policy and DLP.`,
    },
  );
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
    return callTool({
      principal,
      portal: portal.policy.name,
      profile: portal.dlpProfile,
      entry: lookup.tool.entry,
      arguments: request.params.arguments ?? {},
      traceId,
    });
  });
  return server;
}
