import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { merkleLeafHash, merkleRoot, packLeafHashes } from '../src/index.ts';

// The Certificate Transparency reference tree (RFC 6962): leaf inputs and the root of each prefix.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 6962 Merkle tree hash', () => {
  it.each(ROOTS.map((root, size) => [size, root] as const))('matches the reference root of %i leaves', (size, root) => {
    const leafHashes = LEAVES.slice(0, size).map((hex) => merkleLeafHash(Buffer.from(hex, 'hex')));
    expect(merkleRoot(leafHashes).toString('hex')).toBe(root);
    const packed = packLeafHashes(leafHashes.map((leaf) => leaf.toString('hex')));
    expect(merkleRoot([packed]).toString('hex')).toBe(root);
    // Packed in uneven runs, as a checkpoint gathers the inserts it covers.
    expect(merkleRoot([packed.subarray(0, 32 * Math.floor(size / 3)), packed.subarray(32 * Math.floor(size / 3))]).toString('hex')).toBe(root);
    expect(packed.toString('hex'), 'the leaves are left as they were').toBe(Buffer.concat(leafHashes).toString('hex'));
  });

  it('gives the root the RFC 6962 split defines for sizes that are not powers of two', () => {
    // MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])), k the largest power of two below n.
    const reference = (leaves: Buffer[]): Buffer => {
      if (leaves.length === 1) return leaves[0]!;
      let k = 1;
      while (k * 2 < leaves.length) k *= 2;
      return createHash('sha256').update(Buffer.of(1)).update(reference(leaves.slice(0, k))).update(reference(leaves.slice(k))).digest();
    };
    for (const size of [3, 5, 6, 7, 9, 13, 100, 1001]) {
      const leaves = Array.from({ length: size }, (_, i) => merkleLeafHash(`leaf ${i}`));
      expect(merkleRoot(leaves).toString('hex'), `${size} leaves`).toBe(reference(leaves).toString('hex'));
    }
  });

  it('refuses a hex leaf hash that is not 32 bytes of hex rather than hashing whatever memory was there', () => {
    const good = merkleLeafHash('a').toString('hex');
    expect(() => packLeafHashes([good, 'zz'.repeat(32)])).toThrow(/leaf hash 1 is not 32 bytes of hex/);
    expect(() => packLeafHashes([good.slice(0, 62)])).toThrow(/leaf hash 0/);
  });

  it('refuses leaf hashes that are not whole 32-byte hashes', () => {
    expect(() => merkleRoot([Buffer.alloc(32), Buffer.alloc(31)])).toThrow(/32 bytes each, not a 31-byte buffer/);
  });

  it('changes when any leaf changes or two leaves swap', () => {
    const leafHashes = LEAVES.map((hex) => merkleLeafHash(Buffer.from(hex, 'hex')));
    const swapped = [...leafHashes];
    [swapped[2], swapped[5]] = [swapped[5]!, swapped[2]!];
    expect(merkleRoot(swapped).toString('hex')).not.toBe(ROOTS[8]);
  });
});
