import type { CallToolResult, Tool } from '@modelcontextprotocol/client';

/** A tool as the upstream server lists it (the MCP `Tool` shape, passed through unchanged). */
export type UpstreamTool = Tool;

/** A tool result as the upstream server returns it (the MCP `CallToolResult` shape). */
export type UpstreamCallResult = CallToolResult;

export interface UpstreamCallOptions {
  /** Aborts the call; the upstream is sent a cancellation. */
  signal?: AbortSignal;
  /** Upper bound for the whole call, including any wait for a restarting upstream. */
  timeoutMs?: number;
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
  /** Called when the upstream says its tools changed, and after the upstream was restarted or re-initialized. */
  onToolsChanged(listener: () => void): void;
  /** Closes the session and releases the process or connection; later calls reject. */
  close(): Promise<void>;
}
