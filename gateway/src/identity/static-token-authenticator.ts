import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../../events/src/index.ts';

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
