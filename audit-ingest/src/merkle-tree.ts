import { createHash, hash } from 'node:crypto';

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

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();
}

/** MTH(D[n]) of RFC 6962 section 2.1 over leaf hashes already computed with `merkleLeafHash`. */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return createHash('sha256').digest();
  let level = [...leafHashes];
  // Bottom-up pairing, carrying an odd last node up unchanged, builds the same tree as the RFC's
  // split at the largest power of two below n.
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
