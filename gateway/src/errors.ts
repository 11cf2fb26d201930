/**
 * Errors the gateway sends over HTTP, each with a stable code listed in README.md ("Error codes");
 * authentication failures are in identity/identity-errors.ts. Codes are never reused for another meaning.
 */
export const GATEWAY_ERRORS = {
  GH_ERR_AUTH_INSUFFICIENT_SCOPE: { status: 403, hint: 'ask your identity provider for a token with the scopes the gateway requires' },
  GH_ERR_PORTAL_FORBIDDEN: { status: 403, hint: "the portal's access rule (or the API key's portal scope) does not include you; ask its administrator" },
  GH_ERR_PORTAL_NOT_FOUND: { status: 404, hint: 'use /mcp for the default portal or /mcp/<portal> with a portal named in gatehouse.yaml' },
  GH_ERR_BODY_TOO_LARGE: { status: 413, hint: 'send a smaller request or raise gateway.max_body_bytes' },
  GH_ERR_HOST_NOT_ALLOWED: { status: 403, hint: 'DNS-rebinding protection: use a host name the gateway is configured with' },
  GH_ERR_ORIGIN_NOT_ALLOWED: { status: 403, hint: 'DNS-rebinding protection: only configured web origins may call the gateway from a browser' },
  GH_ERR_SESSION_NOT_FOUND: { status: 404, hint: 'send initialize (without Mcp-Session-Id) to start a new session' },
  GH_ERR_SESSION_LIMIT: { status: 503, hint: 'close unused sessions (HTTP DELETE) or raise gateway.sessions.max' },
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/** JSON-RPC error code for a tool the caller may not see or that does not exist (the two are answered alike). */
export const UNKNOWN_TOOL_RPC_CODE = -32602;

export function httpErrorBody(code: GatewayErrorCode, message: string) {
  return { error: { code, message: `${message}; ${GATEWAY_ERRORS[code].hint}` } };
}

/** The same error shaped as a JSON-RPC response, for clients that only understand those on /mcp. */
export function jsonRpcErrorBody(code: GatewayErrorCode, message: string) {
  return jsonRpcError(code, `${message}; ${GATEWAY_ERRORS[code].hint}`);
}

/** A JSON-RPC error response carrying a stable Gatehouse code in `data.code`. */
export function jsonRpcError(code: string, message: string) {
  return { jsonrpc: '2.0' as const, id: null, error: { code: -32600, message, data: { code } } };
}
