import { createHash, hash, randomBytes } from 'node:crypto';

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
 * key again on every call, which costs more than the hashing of a short value. Both passes are
 * one-shot hashes of a buffer reused from value to value, with hex results: Node computes those
 * several times faster than a Hash object fed piece by piece, or than a digest returned as a Buffer.
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
  // The inner pass hashes the inner pad then the value's bytes; the outer pass the outer pad then the inner digest.
  let innerInput = Buffer.concat([inner, Buffer.alloc(BLOCK_SIZE)]);
  const outerInput = Buffer.concat([outer, Buffer.alloc(32)]);
  return {
    stable: key !== undefined,
    hash(value) {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (innerInput.length < BLOCK_SIZE + value.length * 3) {
        innerInput = Buffer.concat([inner, Buffer.alloc(value.length * 3)]);
      }
      const length = BLOCK_SIZE + innerInput.write(value, BLOCK_SIZE, 'utf8');
      outerInput.write(hash('sha256', innerInput.subarray(0, length), 'hex'), BLOCK_SIZE, 'hex');
      return hash('sha256', outerInput, 'hex');
    },
  };
}
