import { hash } from 'node:crypto';
import type { DeliveredEvent } from '../../events/src/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { grown, ownedPrefix } from './byte-buffers.ts';
import { toAuditEventRow, type AuditEventRow, type ChainedAuditEventRow } from './event-row.ts';
import { HASH_BYTES, merkleLeafHashHex } from './merkle-tree.ts';

/** Where a chain stands: the last sequence number given out and the chain hash after it. */
export interface ChainTail {
  /** -1 for a chain that holds no event yet. */
  seq: number;
  chainHash: string;
}

export const EMPTY_CHAIN: ChainTail = { seq: -1, chainHash: '0'.repeat(64) };

/**
 * The event as one JSON document, canonicalized per RFC 8785. The body is included as the JSON
 * it holds, so the document is the event itself rather than one spelling of it; a body that is
 * not JSON (only tampering makes one) is included as its text.
 */
export function canonicalEventRecord(row: AuditEventRow): string {
  return canonicalRecordWithBody(row, canonicalJson(parseBody(row.body)));
}

/**
 * Every member but `body` has a fixed name and a string, number or string-array value, whose
 * canonical form is what JSON.stringify writes; so an object literal listing them in canonical
 * order serializes canonically in one native call, without canonicalJson's walk and copy (this
 * runs for every stored event). `body` goes in as the canonical text given, in place of the
 * placeholder 0 that sorts first.
 */
function canonicalRecordWithBody(row: AuditEventRow, canonicalBody: string): string {
  const partition = finite(Number(row.kafka_partition));
  const version = finite(Number(row.version));
  const rest = JSON.stringify({
    body: 0,
    correlation_id: row.correlation_id,
    decision: row.decision,
    event_id: row.event_id.toLowerCase(),
    gateway: row.gateway,
    kafka: { offset: String(row.kafka_offset), partition, topic: row.kafka_topic },
    portal: row.portal,
    principal: { email: row.principal_email, groups: row.principal_groups, subject: row.principal_subject },
    server: row.server,
    time: row.time,
    tool: row.tool,
    trace_id: row.trace_id,
    type: row.type,
    version,
  });
  return `{"body":${canonicalBody}${rest.slice(BODY_PLACEHOLDER.length)}`;
}

const BODY_PLACEHOLDER = '{"body":0';

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no representation for ${value}`);
  return value;
}

/** RFC 6962 leaf hash of the canonical record, hex: the leaf of both the chain and the checkpoint trees. */
export function eventLeafHash(row: AuditEventRow): string {
  return merkleLeafHashHex(canonicalEventRecord(row));
}

/** chain[n] = SHA-256(chain[n-1] ‖ leaf[n]), over the raw 32-byte values; chain[-1] is 32 zero bytes. */
export function nextChainHash(previousChainHash: string, leafHash: string): string {
  return hash('sha256', Buffer.concat([Buffer.from(previousChainHash, 'hex'), Buffer.from(leafHash, 'hex')]), 'hex');
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Rows given their chain positions, the chain's new tail, and the rows' leaf hashes packed side by side (for a checkpoint). */
export interface ChainedRows {
  rows: ChainedAuditEventRow[];
  tail: ChainTail;
  leafHashes: Buffer;
}

/** Gives each row the next position of the chain that ends at `tail`. */
export function extendChain(rows: readonly AuditEventRow[], tail: ChainTail): ChainedRows {
  const chain = createChainExtension(tail, rows.length, canonicalEventRecord);
  const chained = rows.map((row) => chain.add({ ...row }));
  return { rows: chained, tail: chain.tail(), leafHashes: chain.leafHashes() };
}

/**
 * The rows of delivered events, given the next positions of the chain that ends at `tail`: what
 * extendChain gives for their rows, without parsing each body back (this runs for every stored
 * event): a new row's body is already canonical.
 */
export function chainDeliveredEvents(events: readonly DeliveredEvent[], topic: string, tail: ChainTail): ChainedRows {
  const chain = createChainExtension(tail, events.length);
  const rows = events.map((delivered) => chain.add(toAuditEventRow(delivered, topic)));
  return { rows, tail: chain.tail(), leafHashes: chain.leafHashes() };
}

/** A chain being extended one row at a time (see createChainExtension). */
export interface ChainExtension {
  /** Gives `row` (extended in place) the next position of the chain. */
  add(row: AuditEventRow): ChainedAuditEventRow;
  /** Where the chain stands after the rows added. */
  tail(): ChainTail;
  /** The leaf hashes of the rows added, packed side by side, in a buffer of their own. */
  leafHashes(): Buffer;
}

/**
 * Extends the chain that ends at `tail` row by row, so that a row can be encoded and let go as
 * soon as it is chained. Each row's record is `recordOf(row)`; by default that of a new row, whose
 * body is already canonical. Hashes are written as hex, which Node's one-shot hash returns much
 * faster than a Buffer, and each link is hashed from one reused 64-byte buffer: this runs for
 * every stored event. `rows` is how many are expected; more may come, at the cost of a copy.
 */
export function createChainExtension(
  tail: ChainTail,
  rows: number,
  recordOf: (row: AuditEventRow) => string = (row) => canonicalRecordWithBody(row, row.body),
): ChainExtension {
  let seq = tail.seq;
  let chainHash = tail.chainHash;
  let added = 0;
  const link = Buffer.alloc(2 * HASH_BYTES);
  let packed: Buffer = Buffer.allocUnsafeSlow(Math.max(1, rows) * HASH_BYTES);
  return {
    add(row) {
      const chained = row as ChainedAuditEventRow;
      const leafHash = merkleLeafHashHex(recordOf(row));
      link.write(chainHash, 0, HASH_BYTES, 'hex');
      link.write(leafHash, HASH_BYTES, HASH_BYTES, 'hex');
      if ((added + 1) * HASH_BYTES > packed.length) packed = grown(packed, (added + 1) * HASH_BYTES);
      link.copy(packed, added * HASH_BYTES, HASH_BYTES);
      added += 1;
      chainHash = hash('sha256', link, 'hex');
      seq += 1;
      chained.seq = seq;
      chained.leaf_hash = leafHash;
      chained.chain_hash = chainHash;
      return chained;
    },
    tail: () => ({ seq, chainHash }),
    leafHashes: () => ownedPrefix(packed, added * HASH_BYTES),
  };
}
