import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../../events/src/index.ts';

/** A configured token, kept only as its SHA-256 digest so the process never holds the list in clear. */
export interface StaticToken {
  sha256: string;
  principal: Principal;
}

export type AuthenticationResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing_token' | 'invalid_token'; message: string };

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Maps `Authorization: Bearer <token>` to the principal configured for it. Digests are compared in
 * constant time so response timing does not reveal how much of a guessed token matched.
 */
export function createStaticTokenAuthenticator(tokens: StaticToken[]) {
  const digests = tokens.map((token) => ({ digest: Buffer.from(token.sha256, 'hex'), principal: token.principal }));
  return function authenticate(authorization: string | undefined): AuthenticationResult {
    if (!authorization) {
      return { ok: false, reason: 'missing_token', message: 'missing bearer token: send "Authorization: Bearer <token>"' };
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      return { ok: false, reason: 'invalid_token', message: 'malformed Authorization header: expected "Bearer <token>"' };
    }
    const presented = createHash('sha256').update(match[1]!).digest();
    let found: Principal | undefined;
    for (const candidate of digests) {
      if (timingSafeEqual(candidate.digest, presented)) found = candidate.principal;
    }
    return found
      ? { ok: true, principal: found }
      : { ok: false, reason: 'invalid_token', message: 'invalid bearer token: it matches no configured token' };
  };
}

export type Authenticate = ReturnType<typeof createStaticTokenAuthenticator>;
