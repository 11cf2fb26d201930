import { MissingRequiredClientCapabilityError, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { relayedRpcError } from '../src/relayed-rpc-errors.ts';
import { UpstreamError } from '../src/upstream/index.ts';

const rejected = (code: number, message: string, data?: unknown) =>
  new UpstreamError('GH_ERR_UPSTREAM_PROTOCOL', 'crm', 'tools/call was rejected', { rpcCode: code, upstreamMessage: message, cause: new ProtocolError(code, message, data) });

describe('upstream errors relayed to the client', () => {
  it('relays a missing client capability with the capabilities the gateway relays, never the upstream text', () => {
    const error = relayedRpcError(rejected(ProtocolErrorCode.MissingRequiredClientCapability, 'needs sampling for card 4111111111111111', { requiredCapabilities: { sampling: {}, experimentalThing: { x: 1 } } }), undefined);
    expect(error).toBeInstanceOf(MissingRequiredClientCapabilityError);
    expect((error as MissingRequiredClientCapabilityError).requiredCapabilities).toEqual({ sampling: {} });
    expect(error!.message).not.toContain('4111');
  });

  it('relays invalid params as a bad requestState only on a retried input round', () => {
    const invalid = rejected(ProtocolErrorCode.InvalidParams, 'bad state');
    const relayed = relayedRpcError(invalid, { requestState: 'tampered' });
    expect(relayed?.code).toBe(ProtocolErrorCode.InvalidParams);
    expect(relayed?.data).toEqual({ reason: 'invalid_request_state' });
    expect(relayedRpcError(invalid, undefined)).toBeUndefined();
  });

  it('leaves other upstream failures to the gateway', () => {
    expect(relayedRpcError(rejected(ProtocolErrorCode.InternalError, 'boom'), { requestState: 's' })).toBeUndefined();
    expect(relayedRpcError(new Error('socket hang up'), undefined)).toBeUndefined();
  });
});
