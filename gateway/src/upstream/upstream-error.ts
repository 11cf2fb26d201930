/**
 * Failures of an upstream connection, one stable code each. These stay inside the gateway:
 * the downstream side maps them to a tool error or JSON-RPC error for the client.
 */
export const UPSTREAM_ERROR_CODES = {
  /** The process could not be spawned or the MCP handshake failed. Fix: check command, args, url, headers. */
  GH_ERR_UPSTREAM_START: 'the upstream could not be started or did not complete the MCP handshake',
  /** A stdio upstream crashed and was not back within the wait bound. Fix: retry; check the server's stderr in debug logs. */
  GH_ERR_UPSTREAM_UNAVAILABLE: 'the upstream is restarting or unreachable',
  /** The connection dropped while the call was in flight; the call may or may not have run. */
  GH_ERR_UPSTREAM_DISCONNECTED: 'the upstream connection dropped during the call',
  /** No answer within the timeout. Fix: raise the timeout or look at the upstream's latency. */
  GH_ERR_UPSTREAM_TIMEOUT: 'the upstream did not answer in time',
  /** The caller aborted the call. */
  GH_ERR_UPSTREAM_ABORTED: 'the call was aborted by the caller',
  /** The upstream answered with a JSON-RPC error (unknown tool, invalid arguments, ...). */
  GH_ERR_UPSTREAM_PROTOCOL: 'the upstream rejected the request',
  /** The connection was closed by the gateway. */
  GH_ERR_UPSTREAM_CLOSED: 'the upstream connection is closed',
} as const;

export type UpstreamErrorCode = keyof typeof UPSTREAM_ERROR_CODES;

export interface UpstreamErrorDetails {
  /** The JSON-RPC error code the upstream answered with (GH_ERR_UPSTREAM_PROTOCOL only). */
  rpcCode?: number;
  /**
   * The upstream's own error text. Kept apart from `message` because an upstream may echo
   * arguments into it; scan it before showing it to anyone.
   */
  upstreamMessage?: string;
  cause?: unknown;
}

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  readonly upstream: string;
  readonly rpcCode: number | undefined;
  readonly upstreamMessage: string | undefined;

  constructor(code: UpstreamErrorCode, upstream: string, message: string, details: UpstreamErrorDetails = {}) {
    super(`${code}: upstream "${upstream}": ${message}`, { cause: details.cause });
    this.name = 'UpstreamError';
    this.code = code;
    this.upstream = upstream;
    this.rpcCode = details.rpcCode;
    this.upstreamMessage = details.upstreamMessage;
  }
}
