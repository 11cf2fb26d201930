import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyedHasher } from '../src/keyed-hash.ts';

const hmac = (key: string, value: string) => createHmac('sha256', key).update(value, 'utf8').digest('hex');

describe('createKeyedHasher', () => {
  it('gives HMAC-SHA256 in hex, value after value, whatever their lengths and characters', () => {
    for (const key of ['k', 'a deployment key', 'x'.repeat(64), 'a key longer than one SHA-256 block '.repeat(3)]) {
      const hasher = createKeyedHasher(key);
      // A long value grows the reused buffer; the short ones after it must not hash its leftovers.
      for (const value of ['', '4111 1111 1111 1111', 'é'.repeat(500), '😀 ünïcode', 'x'.repeat(10_000), '123-45-6789', '']) {
        expect(hasher.hash(value)).toBe(hmac(key, value));
      }
      expect(hasher.stable).toBe(true);
    }
  });

  it('without a key, hashes under a random one that stays the same for the process', () => {
    const hasher = createKeyedHasher(undefined);
    expect(hasher.stable).toBe(false);
    expect(hasher.hash('value')).toBe(hasher.hash('value'));
    expect(createKeyedHasher(undefined).hash('value')).not.toBe(hasher.hash('value'));
  });
});
