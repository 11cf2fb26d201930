import { hash } from 'node:crypto';

/**
 * RFC 6962 (Certificate Transparency) Merkle tree hashing. Leaves and interior nodes carry
 * different prefixes (0x00, 0x01) so a leaf can never pass for a node.
 */
export function merkleLeafHash(data: Buffer | string): Buffer {
  return hash('sha256', leafInput(data), 'buffer');
}

/** merkleLeafHash as hex, which the one-shot hash returns much faster than a Buffer: this runs for every stored event. */
export function merkleLeafHashHex(data: Buffer | string): string {
  return hash('sha256', leafInput(data), 'hex');
}

function leafInput(data: Buffer | string): Buffer | string {
  // U+0000 is the single byte 0x00 in UTF-8.
  return typeof data === 'string' ? `\u0000${data}` : Buffer.concat([LEAF_PREFIX, data]);
}

const LEAF_PREFIX = Buffer.of(0x00);

export const HASH_BYTES = 32;

/**
 * MTH(D[n]) of RFC 6962 section 2.1 over leaf hashes already computed with `merkleLeafHash`:
 * 32 bytes each, one to a Buffer or packed side by side (as the writer keeps a checkpoint's).
 */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  for (const chunk of leafHashes) {
    if (chunk.length % HASH_BYTES !== 0) throw new TypeError(`leaf hashes are ${HASH_BYTES} bytes each, not a ${chunk.length}-byte buffer`);
  }
  // A copy: the reduction writes each level over the one below.
  const nodes = Buffer.concat(leafHashes);
  return rootOfLevel(nodes, nodes.length / HASH_BYTES);
}

/** Leaf hashes written as hex (as the store keeps them), packed for merkleRoot; throws for any that is not 64 hex digits. */
export function packLeafHashes(hexLeafHashes: readonly string[]): Buffer {
  const packed = Buffer.allocUnsafe(hexLeafHashes.length * HASH_BYTES);
  hexLeafHashes.forEach((leaf, i) => {
    // Checked, or the bytes not written would be hashed into a signed root.
    if (leaf.length !== 2 * HASH_BYTES || packed.write(leaf, i * HASH_BYTES, HASH_BYTES, 'hex') !== HASH_BYTES) {
      throw new TypeError(`leaf hash ${i} is not ${HASH_BYTES} bytes of hex`);
    }
  });
  return packed;
}

/**
 * Reduces `count` 32-byte nodes, side by side in `nodes`, to their root, each level written over
 * the one below. Bottom-up pairing, carrying an odd last node up unchanged, builds the same tree
 * as the RFC's split at the largest power of two below n. Every interior node is one one-shot hash
 * of a reused 65-byte buffer (0x01 ‖ left ‖ right): a checkpoint covers thousands of leaves, and a
 * hash object per node cost more than the hashing.
 */
function rootOfLevel(nodes: Buffer, count: number): Buffer {
  if (count === 0) return hash('sha256', '', 'buffer');
  const pair = Buffer.allocUnsafe(1 + 2 * HASH_BYTES);
  pair[0] = NODE_PREFIX;
  while (count > 1) {
    let written = 0;
    for (let i = 0; i + 1 < count; i += 2) {
      nodes.copy(pair, 1, i * HASH_BYTES, (i + 2) * HASH_BYTES);
      // As hex, written back: Node returns a digest as hex about twice as fast as a Buffer.
      nodes.write(hash('sha256', pair, 'hex'), written * HASH_BYTES, HASH_BYTES, 'hex');
      written += 1;
    }
    if (count % 2 === 1) {
      nodes.copy(nodes, written * HASH_BYTES, (count - 1) * HASH_BYTES, count * HASH_BYTES);
      written += 1;
    }
    count = written;
  }
  return Buffer.from(nodes.subarray(0, HASH_BYTES));
}

const NODE_PREFIX = 0x01;
