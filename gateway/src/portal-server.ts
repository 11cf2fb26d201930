import { randomUUID } from 'node:crypto';
import {
  ProtocolError,
  ResourceNotFoundError,
  Server,
  type CompleteResult,
  type GetPromptResult,
  type InputRequiredResult,
  type ReadResourceResult,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import type { Principal } from '../../events/src/index.ts';
import { toolCallThrough } from './call-tool.ts';
import type { CheckedExchange } from './checked-exchange.ts';
import { relayToClient } from './client-relay.ts';
import { UNKNOWN_TOOL_RPC_CODE } from './errors.ts';
import { promptsOffered, resourcesOffered } from './policy/prompts-and-resources-view.ts';
import { toolsOffered, type PortalPolicy } from './policy/portal-view.ts';
import type { ResourceSubscriptions } from './resource-subscriptions.ts';
import { holdStreamAtMost } from './sessions/stream-hold.ts';
import type { AskClient, ParkedCalls } from './parked-calls.ts';
import type { ToolCatalog } from './tool-catalog.ts';
import type { DenialAudit } from './denial-audit.ts';
import type { PinStatus } from './pinning/tool-pinning.ts';
import type { InputRound, UpstreamConnection, UpstreamPromptResult, UpstreamResourceContents } from './upstream/index.ts';

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
  /** The caller, as authenticated for the request being served (a session's owner is re-checked on each). */
  principal: () => Principal;
  /** Every tool call, prompt, resource read and completion goes through it: DLP both ways, audited. */
  exchange: CheckedExchange;
  upstreamTimeoutMs: number;
  auditDenial: DenialAudit;
  serverVersion: string;
  /** Given for servers of a session, which outlive a request: they can tell their client about resource updates, and end long requests' streams. */
  session?: { subscriptions: ResourceSubscriptions; endStreamsAfterMs: number };
  /** Whether the client subscribes to resources on a 2026-07-28 listen stream, served in front of the server (listen-subscriptions.ts). */
  resourceUpdatesByListen?: boolean;
  /** Given for servers of 2026-07-28 requests: what a 2025 upstream asks their client mid-call goes through it. */
  parkedCalls?: ParkedCalls;
}

/** How a parked call's requests reach its client, and the signal that cancels the call (parked-calls.ts). */
interface CallBridge {
  ask: AskClient;
  signal: AbortSignal;
}

/** A refused prompt, resource read or completion: unlike a tool call, these have no error result, so the refusal is a JSON-RPC error. */
const REFUSED_RPC_CODE = -32600;

/** W3C Trace Context `traceparent`: version, trace id, the caller's span id, flags. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/**
 * The MCP server a caller talks to, for one request or one session: it lists and runs only the
 * tools, prompts and resources the portal's policy offers that caller, and relays what the
 * upstream sends back during a call (progress, logs, sampling, elicitation) to this caller alone.
 * Something hidden is answered exactly like something that does not exist, so callers cannot
 * probe for what they may not see.
 */
export function createPortalServer(context: PortalServerContext): Server {
  const { portal, exchange, auditDenial, session } = context;
  const subscriptions = session?.subscriptions;
  const portalName = portal.policy.name;
  const callTool = toolCallThrough(exchange, context.upstreamTimeoutMs);
  const server = new Server(
    { name: 'gatehouse', version: context.serverVersion },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, ...(subscriptions || context.resourceUpdatesByListen ? { subscribe: true } : {}) },
        completions: {},
        logging: {},
      },
      instructions: `Gatehouse portal "${portalName}": tools, prompts and resources of its servers, checked by policy and DLP.`,
    },
  );
  const prompts = () => promptsOffered(portal.policy, portal.catalog.extras(), context.principal());
  const resources = () => resourcesOffered(portal.policy, portal.catalog.extras(), context.principal());
  const offered = () => toolsOffered(portal.policy, portal.catalog.entries(), context.principal(), portal.pinStatus?.());

  /** What every exchange of one request carries: who, where, which DLP profile, which trace. */
  function checkedFor(ctx: ServerContext) {
    const [, traceId, parentSpanId] = TRACEPARENT.exec(ctx.http?.req?.headers.get('traceparent') ?? '') ?? [];
    return { principal: context.principal(), portal: portalName, profile: portal.dlpProfile, ...(traceId ? { traceId } : {}), ...(parentSpanId ? { parentSpanId } : {}) };
  }
  /** The caller's cancellation and the way back to it, for a request served by `upstreamServer`. */
  function callOptions(ctx: ServerContext, upstreamServer: string, bridge: CallBridge | undefined, input?: InputRound) {
    const client = ctx.sessionId ?? `request:${randomUUID()}`;
    const relay = relayToClient(ctx, {
      client,
      server: upstreamServer,
      checked: checkedFor(ctx),
      exchange,
      sessionCapabilities: server.getClientCapabilities(),
      ...(bridge ? { askClient: bridge.ask } : {}),
    });
    return { signal: bridge?.signal ?? ctx.mcpReq.signal, relay, timeoutMs: context.upstreamTimeoutMs, ...(input ? { input } : {}) };
  }
  /**
   * Serves a request that reaches an upstream. A 2026-07-28 request runs as a parked call, so what
   * a 2025 upstream asks mid-call reaches the client as `input_required`, and a retry naming a
   * parked call resumes it; a session's request may have its stream ended while it runs.
   */
  async function serveCall<R>(ctx: ServerContext, work: (bridge: CallBridge | undefined) => Promise<R>): Promise<R | InputRequiredResult> {
    const parkedCalls = context.parkedCalls;
    if (!parkedCalls || ctx.mcpReq.envelope === undefined) return holdStreamAtMost(ctx, session?.endStreamsAfterMs, work(undefined));
    const owner = `${portalName}\n${context.principal().subject}`;
    const state = ctx.mcpReq.requestState<string>();
    const resumed = state === undefined ? undefined : parkedCalls.resume(owner, state, ctx.mcpReq.inputResponses ?? {});
    const round = await (resumed ?? parkedCalls.start(owner, (ask, signal) => work({ ask, signal })));
    return round.done ? (round.result as R) : round.inputRequired;
  }
  const deny = async (ctx: ServerContext, target: string, detail: string, rule: string | undefined) => {
    const { principal, traceId } = checkedFor(ctx);
    await auditDenial({ principal, portal: portalName, tool: target, reason: 'unknown_tool', detail, ...(rule ? { rule } : {}), ...(traceId ? { traceId } : {}) });
  };

  server.setRequestHandler('tools/list', async () => ({ tools: offered().list() }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const name = request.params.name;
    const lookup = offered().lookup(name);
    if (!lookup.offered) {
      await deny(ctx, name, lookup.rule ? 'the tool is hidden from this caller' : 'no such tool in this portal', lookup.rule);
      throw new ProtocolError(UNKNOWN_TOOL_RPC_CODE, `Unknown tool "${name}" in portal "${portalName}". Call tools/list for the tools available to you.`);
    }
    const { entry } = lookup.tool;
    const input = inputRoundOf(ctx);
    return serveCall(ctx, (bridge) => {
      const { signal, relay } = callOptions(ctx, entry.server, bridge);
      return callTool({ ...checkedFor(ctx), entry, arguments: request.params.arguments ?? {}, call: { signal, relay }, ...(input ? { input } : {}) });
    });
  });

  server.setRequestHandler('prompts/list', async () => ({ prompts: prompts().list() }));
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const name = request.params.name;
    const lookup = prompts().lookup(name);
    if (!lookup.offered) {
      await deny(ctx, name, 'no such prompt for this caller', lookup.rule);
      throw new ProtocolError(UNKNOWN_TOOL_RPC_CODE, `Unknown prompt "${name}" in portal "${portalName}". Call prompts/list for the prompts available to you.`);
    }
    const { prompt } = lookup;
    const input = inputRoundOf(ctx);
    return serveCall(ctx, async (bridge) =>
      refusedAsError(
        await exchange<UpstreamPromptResult>({
          ...checkedFor(ctx),
          server: prompt.server,
          operation: 'prompts/get',
          target: prompt.upstreamName,
          arguments: request.params.arguments ?? {},
          ...(input ? { input } : {}),
          run: (forwarded, checkedInput) => prompt.upstream.getPrompt(prompt.upstreamName, stringValues(forwarded), callOptions(ctx, prompt.server, bridge, checkedInput)),
          asResult: (payload) => (hasArray(payload, 'messages') ? (payload as GetPromptResult) : undefined),
        }),
      ),
    );
  });

  server.setRequestHandler('resources/list', async () => ({ resources: resources().resources() }));
  server.setRequestHandler('resources/templates/list', async () => ({ resourceTemplates: resources().templates() }));
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const uri = request.params.uri;
    const { upstream, server: upstreamServer } = await routeResource(ctx, uri);
    const input = inputRoundOf(ctx);
    return serveCall(ctx, async (bridge) =>
      refusedAsError(
        await exchange<UpstreamResourceContents>({
          ...checkedFor(ctx),
          server: upstreamServer,
          operation: 'resources/read',
          target: uri,
          arguments: { uri },
          ...(input ? { input } : {}),
          run: (_forwarded, checkedInput) => upstream.readResource(uri, callOptions(ctx, upstreamServer, bridge, checkedInput)),
          asResult: (payload) => (hasArray(payload, 'contents') ? (payload as ReadResourceResult) : undefined),
        }),
      ),
    );
  });

  async function routeResource(ctx: ServerContext, uri: string): Promise<{ server: string; upstream: UpstreamConnection }> {
    const route = resources().route(uri);
    if (route.server === undefined) {
      await deny(ctx, uri, 'no such resource for this caller', route.rule);
      throw new ResourceNotFoundError(uri);
    }
    return route;
  }

  if (subscriptions) {
    const subscribed = new Map<string, { upstream: UpstreamConnection }>();
    const tellClient = (uri: string) => void server.sendResourceUpdated({ uri }).catch(() => undefined);
    server.setRequestHandler('resources/subscribe', async (request, ctx) => {
      const uri = request.params.uri;
      if (subscribed.has(uri)) return {};
      const { upstream } = await routeResource(ctx, uri);
      await subscriptions.subscribe(upstream, uri, tellClient);
      subscribed.set(uri, { upstream });
      return {};
    });
    server.setRequestHandler('resources/unsubscribe', async (request) => {
      const entry = subscribed.get(request.params.uri);
      if (entry) {
        subscribed.delete(request.params.uri);
        await subscriptions.unsubscribe(entry.upstream, request.params.uri, tellClient);
      }
      return {};
    });
    server.onclose = () => {
      for (const [uri, { upstream }] of subscribed) void subscriptions.unsubscribe(upstream, uri, tellClient);
      subscribed.clear();
    };
  }

  server.setRequestHandler('completion/complete', async (request, ctx) => {
    const { ref } = request.params;
    const route = await routeCompletion(ctx, ref);
    return refusedAsError(
      await exchange<CompleteResult>({
        ...checkedFor(ctx),
        server: route.server,
        operation: 'completion/complete',
        target: route.target,
        arguments: { ...request.params, ref: route.upstreamRef },
        run: (forwarded) => route.upstream.complete({ ...request.params, ...forwarded, ref: route.upstreamRef } as typeof request.params, callOptions(ctx, route.server, undefined)),
        asResult: (payload) => (payload && typeof payload === 'object' && 'completion' in payload ? (payload as CompleteResult) : undefined),
      }),
    );
  });

  async function routeCompletion(ctx: ServerContext, ref: { type: string; name?: string; uri?: string }) {
    if (ref.type === 'ref/prompt' && ref.name !== undefined) {
      const lookup = prompts().lookup(ref.name);
      if (lookup.offered) {
        const { prompt } = lookup;
        return { server: prompt.server, upstream: prompt.upstream, target: prompt.upstreamName, upstreamRef: { type: 'ref/prompt', name: prompt.upstreamName } };
      }
      await deny(ctx, ref.name, 'no such prompt for this caller', lookup.rule);
    } else if (ref.type === 'ref/resource' && ref.uri !== undefined) {
      const route = resources().templateRoute(ref.uri);
      if (route.server !== undefined) return { server: route.server, upstream: route.upstream, target: ref.uri, upstreamRef: { type: 'ref/resource', uri: ref.uri } };
      await deny(ctx, ref.uri, 'no such resource template for this caller', undefined);
    }
    throw new ProtocolError(UNKNOWN_TOOL_RPC_CODE, `Nothing to complete for this reference in portal "${portalName}". Call prompts/list or resources/templates/list for what is available to you.`);
  }

  return server;
}

/**
 * A retry after an input-required answer (2026-07-28, or a 2025 session's round that the SDK
 * fulfilled with real requests to the client): what goes back to the upstream that asked.
 */
function inputRoundOf(ctx: ServerContext): InputRound | undefined {
  const { inputResponses } = ctx.mcpReq;
  const requestState = ctx.mcpReq.requestState<string>();
  if (inputResponses === undefined && requestState === undefined) return undefined;
  return { ...(inputResponses !== undefined ? { inputResponses } : {}), ...(requestState !== undefined ? { requestState } : {}) };
}

/** A refused exchange as a JSON-RPC error, for requests whose result has no way to carry one. */
function refusedAsError<R>(outcome: { ok: true; result: R } | { ok: false; message: string }): R {
  if (!outcome.ok) throw new ProtocolError(REFUSED_RPC_CODE, outcome.message);
  return outcome.result;
}

const hasArray = (payload: unknown, key: string) => payload !== null && typeof payload === 'object' && Array.isArray((payload as Record<string, unknown>)[key]);

/** Prompt arguments are strings; a redacted copy is too, but a verdict is checked rather than trusted. */
function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}
