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
  return new UpstreamError('GH_ERR_UPSTREAM_UNAVAILABLE', upstream, `${method} failed: ${describe(error)}`, { cause: error });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
