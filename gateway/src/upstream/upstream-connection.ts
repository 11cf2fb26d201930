import type { CallRelay } from './call-relay.ts';
import type {
  CallToolResult,
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  InputRequiredResult,
  ListResourceTemplatesResult,
  Prompt,
  ReadResourceResult,
  Resource,
  Tool,
} from '@modelcontextprotocol/client';

/** A tool as the upstream server lists it (the MCP `Tool` shape, passed through unchanged). */
export type UpstreamTool = Tool;

/**
 * A 2026-07-28 server asks its client for input (elicitation, sampling, roots) by answering a
 * tool call, prompt or resource read with this instead of a result; the client retries the
 * request with its answers (an InputRound).
 */
export type UpstreamInputRequired = InputRequiredResult;

/** A tool result as the upstream server returns it (the MCP `CallToolResult` shape). */
export type UpstreamCallResult = CallToolResult | UpstreamInputRequired;

export type UpstreamPrompt = Prompt;
export type UpstreamPromptResult = GetPromptResult | UpstreamInputRequired;
export type UpstreamResource = Resource;
export type UpstreamResourceTemplate = ListResourceTemplatesResult['resourceTemplates'][number];
export type UpstreamResourceContents = ReadResourceResult | UpstreamInputRequired;

export interface UpstreamCallOptions {
  /** Aborts the call; the upstream is sent a cancellation. */
  signal?: AbortSignal;
  /** Upper bound for the whole call, including any wait for a restarting upstream. */
  timeoutMs?: number;
  /** The way back to the caller for progress, log messages, sampling and elicitation. */
  relay?: CallRelay;
  /** The client's retry of a request the upstream answered with input required. */
  input?: InputRound;
}

/** What a client's retry after an input-required answer carries, passed upstream as it came (after the DLP). */
export interface InputRound {
  /** The client's answers, keyed as the upstream named its input requests. */
  inputResponses?: Record<string, unknown>;
  /** The upstream's own opaque state, echoed byte for byte. */
  requestState?: string;
}

/**
 * The gateway's view of one upstream MCP server, whatever its transport. Tool-level failures
 * come back as results with `isError: true`; an unreachable, crashed or closed upstream, a
 * timeout or a protocol error rejects with an `UpstreamError`.
 */
export interface UpstreamConnection {
  readonly name: string;
  /** Every tool the upstream offers, all pages. */
  listTools(): Promise<UpstreamTool[]>;
  callTool(name: string, args: Record<string, unknown>, options?: UpstreamCallOptions): Promise<UpstreamCallResult>;
  /** Every prompt, all pages; none when the upstream has no prompts capability. */
  listPrompts(): Promise<UpstreamPrompt[]>;
  getPrompt(name: string, args: Record<string, string>, options?: UpstreamCallOptions): Promise<UpstreamPromptResult>;
  /** Every resource and resource template, all pages; none when the upstream has no resources capability. */
  listResources(): Promise<UpstreamResource[]>;
  listResourceTemplates(): Promise<UpstreamResourceTemplate[]>;
  readResource(uri: string, options?: UpstreamCallOptions): Promise<UpstreamResourceContents>;
  complete(params: CompleteRequest['params'], options?: UpstreamCallOptions): Promise<CompleteResult>;
  subscribeResource(uri: string): Promise<void>;
  unsubscribeResource(uri: string): Promise<void>;
  /** Called with the URI of a subscribed resource that changed. */
  onResourceUpdated(listener: (uri: string) => void): void;
  /** Called when the upstream says its tools, prompts or resources changed, and after it was restarted or re-initialized. */
  onToolsChanged(listener: () => void): void;
  /** Closes the session and releases the process or connection; later calls reject. */
  close(): Promise<void>;
}
