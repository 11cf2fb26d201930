import { MissingRequiredClientCapabilityError, ProtocolError, ProtocolErrorCode, type ClientCapabilities } from '@modelcontextprotocol/server';
import { UpstreamError, type InputRound } from './upstream/index.ts';

/** The capabilities a client can be asked to declare for an upstream behind the gateway. */
const RELAYED_CAPABILITIES = ['sampling', 'elicitation', 'roots'] as const;

/**
 * An upstream's JSON-RPC error that is about the client's request rather than the upstream
 * failing, as the error the client gets, so it can act on it: declare a capability, or start its
 * input rounds over. Other upstream errors stay tool errors or the gateway's own refusals. Only
 * the code and the gateway's own words and data go back: the upstream's message may echo
 * arguments, and is never relayed.
 */
export function relayedRpcError(error: unknown, input: InputRound | undefined): ProtocolError | undefined {
  if (!(error instanceof UpstreamError)) return undefined;
  if (error.rpcCode === ProtocolErrorCode.MissingRequiredClientCapability) {
    const required = requiredCapabilities(error.cause);
    const names = Object.keys(required).join(', ') || 'one the server did not name';
    return new MissingRequiredClientCapabilityError(
      { requiredCapabilities: required },
      `The server "${error.upstream}" needs a client capability this request did not declare (${names}). Declare it in the request's client capabilities.`,
    );
  }
  if (error.rpcCode === ProtocolErrorCode.InvalidParams && input?.requestState !== undefined) {
    return new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid or expired requestState', { reason: 'invalid_request_state' });
  }
  return undefined;
}

/** The capabilities the upstream said it needs, limited to those the gateway relays; an upstream's data is not passed on as it came. */
function requiredCapabilities(cause: unknown): ClientCapabilities {
  const data = cause instanceof ProtocolError ? (cause.data as { requiredCapabilities?: unknown } | undefined) : undefined;
  const named = data?.requiredCapabilities;
  if (!named || typeof named !== 'object') return {};
  return Object.fromEntries(RELAYED_CAPABILITIES.filter((name) => name in named).map((name) => [name, {}]));
}
