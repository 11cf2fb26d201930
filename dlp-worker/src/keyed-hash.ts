import { createHash, randomBytes } from 'node:crypto';

/**
 * HMAC-SHA256 of a value under the deployment's DLP key, in hex. Findings and hash-style
 * redaction carry it instead of the value: the same value always gives the same hash, so analysts
 * can correlate findings without seeing them, and without the key nobody can test guesses.
 */
export interface KeyedHasher {
  hash(value: string): string;
  /** False when no key was configured and a random one lives only as long as this process. */
  readonly stable: boolean;
}

const BLOCK_SIZE = 64;

/**
 * HMAC (RFC 2104) over SHA-256 with the padded keys computed once: node's createHmac imports the
 * key again on every call, which costs more than the hashing of a short value.
 */
export function createKeyedHasher(key: string | undefined): KeyedHasher {
  let secret = key === undefined ? randomBytes(32) : Buffer.from(key, 'utf8');
  if (secret.length > BLOCK_SIZE) secret = createHash('sha256').update(secret).digest();
  const inner = Buffer.alloc(BLOCK_SIZE, 0x36);
  const outer = Buffer.alloc(BLOCK_SIZE, 0x5c);
  for (let i = 0; i < secret.length; i++) {
    inner[i]! ^= secret[i]!;
    outer[i]! ^= secret[i]!;
  }
  return {
    stable: key !== undefined,
    hash(value) {
      const innerDigest = createHash('sha256').update(inner).update(value, 'utf8').digest();
      return createHash('sha256').update(outer).update(innerDigest).digest('hex');
    },
  };
}
