import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../../events/src/index.ts';
import { parseBearerHeader } from './bearer-header.ts';

/** A configured token, kept only as its SHA-256 digest so the process never holds the list in clear. */
export interface StaticToken {
  sha256: string;
  principal: Principal;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Maps a presented token to the principal configured for it, or `undefined`. Every digest is
 * compared, in constant time, so response timing reveals neither which token nor how much of a
 * guess matched.
 */
export function createStaticTokenVerifier(tokens: StaticToken[]): (token: string) => Principal | undefined {
  const digests = tokens.map((token) => ({ digest: Buffer.from(token.sha256, 'hex'), principal: token.principal }));
  return (token) => {
    const presented = createHash('sha256').update(token).digest();
    let found: Principal | undefined;
    for (const candidate of digests) {
      if (timingSafeEqual(candidate.digest, presented)) found = candidate.principal;
    }
    return found;
  };
}

export type StaticTokenAuthentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing_token' | 'invalid_token'; message: string };

/** Static tokens only, from the Authorization header: the gateway's authentication until it is given an Authenticator. */
export function createStaticTokenAuthenticator(tokens: StaticToken[]) {
  const verify = createStaticTokenVerifier(tokens);
  return function authenticate(authorization: string | undefined): StaticTokenAuthentication {
    const header = parseBearerHeader(authorization);
    if (!header.ok) return header;
    const principal = verify(header.token);
    return principal
      ? { ok: true, principal }
      : { ok: false, reason: 'invalid_token', message: 'invalid bearer token: it matches no configured token' };
  };
}

export type Authenticate = ReturnType<typeof createStaticTokenAuthenticator>;
