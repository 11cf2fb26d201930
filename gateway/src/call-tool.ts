import type { Principal } from '../../events/src/index.ts';
import { createCheckedExchange, type CheckedExchange, type CheckedExchangeOptions } from './checked-exchange.ts';
import type { CatalogEntry } from './tool-catalog.ts';
import type { InputRound, UpstreamCallOptions, UpstreamCallResult } from './upstream/index.ts';

export type ToolCallPipelineOptions = CheckedExchangeOptions;

export interface ToolCallRequest {
  principal: Principal;
  portal: string;
  profile: string;
  entry: CatalogEntry;
  arguments: Record<string, unknown>;
  traceId?: string;
  /** The caller's span (from `traceparent`), which the call's span continues. */
  parentSpanId?: string;
  /** The caller's cancellation, and the way back to it for progress, logs, sampling and elicitation. */
  call?: Pick<UpstreamCallOptions, 'signal' | 'relay'>;
  /** The caller's retry after the upstream asked it for input. */
  input?: InputRound;
}

/** A tools/call as a checked exchange; a refusal becomes a tool error the client shows its user. */
export function toolCallThrough(exchange: CheckedExchange, upstreamTimeoutMs: number) {
  return async function callTool(request: ToolCallRequest): Promise<UpstreamCallResult> {
    const { entry } = request;
    const outcome = await exchange<UpstreamCallResult>({
      ...request,
      server: entry.server,
      operation: 'tools/call',
      target: entry.upstreamName,
      run: (forwarded, input) => entry.upstream.callTool(entry.upstreamName, forwarded, { ...request.call, ...(input ? { input } : {}), timeoutMs: upstreamTimeoutMs }),
      asResult: (payload) => (payload && typeof payload === 'object' && Array.isArray((payload as { content?: unknown }).content) ? (payload as UpstreamCallResult) : undefined),
    });
    return outcome.ok ? outcome.result : { isError: true, content: [{ type: 'text', text: outcome.message }] };
  };
}

export function createToolCallPipeline(options: ToolCallPipelineOptions) {
  return toolCallThrough(createCheckedExchange(options), options.upstreamTimeoutMs);
}

export type CallTool = ReturnType<typeof createToolCallPipeline>;
