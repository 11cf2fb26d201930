import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { UpstreamError } from './upstream-error.ts';

/**
 * Translates whatever the SDK threw for one request into an `UpstreamError`, so callers branch
 * on a stable code instead of the SDK's error classes or message text.
 */
export function toUpstreamError(error: unknown, upstream: string, method: string, signal?: AbortSignal): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (signal?.aborted === true) {
    return new UpstreamError('GH_ERR_UPSTREAM_ABORTED', upstream, `${method} was aborted by the caller`, { cause: error });
  }
  if (error instanceof ProtocolError) {
    return new UpstreamError('GH_ERR_UPSTREAM_PROTOCOL', upstream, `${method} was rejected with JSON-RPC error ${error.code}`, {
      rpcCode: error.code,
      upstreamMessage: error.message,
      cause: error,
    });
  }
  if (error instanceof SdkHttpError) {
    return new UpstreamError('GH_ERR_UPSTREAM_UNAVAILABLE', upstream, `${method} failed with HTTP ${error.status}; check the url and headers`, {
      cause: error,
    });
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new UpstreamError('GH_ERR_UPSTREAM_TIMEOUT', upstream, `${method} got no answer in time`, { cause: error });
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
      case SdkErrorCode.SendFailed:
        return new UpstreamError('GH_ERR_UPSTREAM_DISCONNECTED', upstream, `the connection dropped during ${method}; it may or may not have run`, {
          cause: error,
        });
      default:
        return new UpstreamError('GH_ERR_UPSTREAM_PROTOCOL', upstream, `${method} failed in the MCP client (${error.code})`, {
          upstreamMessage: error.message,
          cause: error,
        });
    }
  }
  return new UpstreamError('GH_ERR_UPSTREAM_UNAVAILABLE', upstream, `${method} failed: ${describe(error)}`, {
    upstreamMessage: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

/**
 * Names the failure by its class and system code (ECONNREFUSED, ENOTFOUND): error text from a
 * transport may quote what was sent, so it stays in `upstreamMessage`, out of logs and clients.
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const codeOf = (value: unknown) => (value && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'string' ? ` ${(value as { code: string }).code}` : '');
  return `${error.name}${codeOf(error)}${codeOf(error.cause)}`.trim();
}
