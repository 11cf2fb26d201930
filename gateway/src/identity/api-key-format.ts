import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key is `ghk_<id>_<secret>`: the prefix makes keys recognisable (by the gateway, and by
 * secret scanners in a leaked file), the id finds the record without revealing anything, and the
 * secret is 32 random bytes.
 */
export const API_KEY_PREFIX = 'ghk_';
const API_KEY_PATTERN = /^ghk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

export function parseApiKey(token: string): { id: string } | undefined {
  const match = API_KEY_PATTERN.exec(token);
  return match ? { id: match[1]! } : undefined;
}

export function generateApiKey(): { id: string; key: string } {
  const id = randomBytes(8).toString('hex');
  return { id, key: `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}` };
}

/**
 * SHA-256, not a slow password hash: the secret carries 256 random bits, so no dictionary or
 * brute-force search is possible and a slow KDF would only add milliseconds to every request.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function apiKeyMatches(key: string, storedSha256: string): boolean {
  const stored = Buffer.from(storedSha256, 'hex');
  const presented = createHash('sha256').update(key).digest();
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}
