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

const HASH_BYTES = 32;

/** MTH(D[n]) of RFC 6962 section 2.1 over leaf hashes already computed with `merkleLeafHash`. */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  const nodes = Buffer.allocUnsafe(leafHashes.length * HASH_BYTES);
  leafHashes.forEach((leaf, i) => leaf.copy(nodes, i * HASH_BYTES));
  return rootOfLevel(nodes, leafHashes.length);
}

/** merkleRoot over leaf hashes written as hex (as the store keeps them), as hex; throws for any that is not 64 hex digits. */
export function merkleRootHex(leafHashes: readonly string[]): string {
  const nodes = Buffer.allocUnsafe(leafHashes.length * HASH_BYTES);
  leafHashes.forEach((leaf, i) => {
    if (leaf.length !== 2 * HASH_BYTES || nodes.write(leaf, i * HASH_BYTES, HASH_BYTES, 'hex') !== HASH_BYTES) {
      throw new TypeError(`leaf hash ${i} is not ${HASH_BYTES} bytes of hex`);
    }
  });
  return rootOfLevel(nodes, leafHashes.length).toString('hex');
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
