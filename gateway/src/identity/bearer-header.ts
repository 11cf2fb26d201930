/** The token of an `Authorization: Bearer <token>` header, or why there is none. */
export type BearerHeader =
  | { ok: true; token: string }
  | { ok: false; reason: 'missing_token' | 'invalid_token'; message: string };

export function parseBearerHeader(authorization: string | undefined): BearerHeader {
  if (!authorization) return { ok: false, reason: 'missing_token', message: 'missing bearer token: send "Authorization: Bearer <token>"' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { ok: false, reason: 'invalid_token', message: 'malformed Authorization header: expected "Bearer <token>"' };
  return { ok: true, token: match[1]! };
}
