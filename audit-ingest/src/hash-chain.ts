import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { AuditEventRow, ChainedAuditEventRow } from './event-row.ts';
import { merkleLeafHash } from './merkle-tree.ts';

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
  // Members listed in canonical order already, which makes canonicalizing them cheap.
  return canonicalJson({
    body: parseBody(row.body),
    correlation_id: row.correlation_id,
    decision: row.decision,
    event_id: row.event_id.toLowerCase(),
    gateway: row.gateway,
    kafka: { offset: String(row.kafka_offset), partition: Number(row.kafka_partition), topic: row.kafka_topic },
    portal: row.portal,
    principal: { email: row.principal_email, groups: row.principal_groups, subject: row.principal_subject },
    server: row.server,
    time: row.time,
    tool: row.tool,
    trace_id: row.trace_id,
    type: row.type,
    version: Number(row.version),
  });
}

/** RFC 6962 leaf hash of the canonical record, hex: the leaf of both the chain and the checkpoint trees. */
export function eventLeafHash(row: AuditEventRow): string {
  return merkleLeafHash(canonicalEventRecord(row)).toString('hex');
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

/** Gives each row the next position of the chain that ends at `tail`; returns the rows and the new tail. */
export function extendChain(rows: readonly AuditEventRow[], tail: ChainTail): { rows: ChainedAuditEventRow[]; tail: ChainTail } {
  let { seq, chainHash } = tail;
  const chained = rows.map((row): ChainedAuditEventRow => {
    const leaf_hash = eventLeafHash(row);
    seq += 1;
    chainHash = nextChainHash(chainHash, leaf_hash);
    return { ...row, seq, leaf_hash, chain_hash: chainHash };
  });
  return { rows: chained, tail: { seq, chainHash } };
}
