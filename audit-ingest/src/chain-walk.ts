import { nextChainHash } from './hash-chain.ts';

/** A stored row as the verifier sees it: its claimed position and hashes, and the leaf hash of its content. */
export interface StoredChainRow {
  seq: number;
  event_id: string;
  leaf_hash: string;
  chain_hash: string;
  /** The leaf hash recomputed from the row's content. */
  content_leaf: string;
}

export type RowProblemKind = 'changed' | 'missing' | 'inserted' | 'reordered';

export interface RowProblem {
  kind: RowProblemKind;
  seq: number;
  /** For a run of missing rows: the last missing position. */
  last_seq?: number;
  event_id?: string;
  detail: string;
}

export interface ChainWalk {
  problems: RowProblem[];
  /** The row that belongs at each position, as far as the chain shows. */
  placed: Map<number, StoredChainRow>;
  /** The chain hash after `hi`, to continue the walk; undefined when the last position was missing. */
  head: string | undefined;
}

/** Past this many problems the walk stops searching for moved rows: each search hashes every row again. */
const MAX_SEARCHES = 1_000;

/**
 * Walks positions `lo`..`hi` of one chain, starting after `anchor` (the chain hash before `lo`;
 * undefined when that row is gone, so the first row is taken on trust). At each position the row
 * whose chain hash follows from the previous one belongs there. Otherwise:
 * - some other row follows (its chain hash was made at this position): it was **reordered**;
 * - the row there has content that no longer matches its leaf hash, while its stored hashes still
 *   link: it was **changed**; a row whose hashes do not link either was **inserted**;
 * - there is no row: **missing** (the walk resumes on trust at the next row present);
 * and rows left over (a second row claiming a taken position) were **inserted**.
 */
export function walkChain(rows: readonly StoredChainRow[], lo: number, hi: number, anchor: string | undefined): ChainWalk {
  const problems: RowProblem[] = [];
  const placed = new Map<number, StoredChainRow>();
  const unplaced = new Set(rows);
  const bySeq = new Map<number, StoredChainRow[]>();
  for (const row of rows) bySeq.set(row.seq, [...(bySeq.get(row.seq) ?? []), row]);
  const leafOk = (row: StoredChainRow) => row.content_leaf === row.leaf_hash;
  const follows = (chain: string, row: StoredChainRow) => leafOk(row) && nextChainHash(chain, row.content_leaf) === row.chain_hash;
  const place = (seq: number, row: StoredChainRow) => {
    placed.set(seq, row);
    unplaced.delete(row);
  };
  let searches = 0;

  let head = anchor;
  let pos = lo;
  while (pos <= hi) {
    const candidates = (bySeq.get(pos) ?? []).filter((row) => unplaced.has(row));
    if (head === undefined && candidates.length > 0) {
      const row = candidates.find(leafOk) ?? candidates[0]!;
      if (!leafOk(row)) problems.push({ kind: 'changed', seq: pos, event_id: row.event_id, detail: 'its content does not match its leaf hash' });
      place(pos, row);
      head = row.chain_hash;
      pos += 1;
      continue;
    }
    const linking = head === undefined ? undefined : candidates.find((row) => follows(head!, row));
    if (linking) {
      place(pos, linking);
      head = linking.chain_hash;
      pos += 1;
      continue;
    }
    const moved = head !== undefined && searches++ < MAX_SEARCHES ? [...unplaced].find((row) => row.seq !== pos && follows(head!, row)) : undefined;
    if (moved) {
      problems.push({ kind: 'reordered', seq: moved.seq, event_id: moved.event_id, detail: `stored at seq ${moved.seq}, but the chain puts it at seq ${pos}` });
      place(pos, moved);
      head = moved.chain_hash;
      pos += 1;
      continue;
    }
    const row = candidates[0];
    if (row) {
      const hashesLink = head !== undefined && nextChainHash(head, row.leaf_hash) === row.chain_hash;
      if (hashesLink) {
        problems.push({ kind: 'changed', seq: pos, event_id: row.event_id, detail: 'its content does not match its leaf hash' });
        place(pos, row);
        head = row.chain_hash;
      } else if (leafOk(row)) {
        problems.push({ kind: 'changed', seq: pos, event_id: row.event_id, detail: 'its chain hash does not follow from the row before' });
        place(pos, row);
        head = nextChainHash(head!, row.content_leaf);
      } else {
        problems.push({ kind: 'inserted', seq: pos, event_id: row.event_id, detail: 'its hashes are not part of the chain' });
        unplaced.delete(row);
        // A forged row past the end of the chain leaves no position behind it to call missing.
        if (candidates.length === 1 && nextSeqAfter(unplaced, pos, hi) > hi) break;
        continue;
      }
      pos += 1;
      continue;
    }
    const nextPresent = nextSeqAfter(unplaced, pos, hi);
    problems.push({ kind: 'missing', seq: pos, ...(nextPresent - 1 > pos ? { last_seq: nextPresent - 1 } : {}), detail: 'no row at this position of the chain' });
    head = undefined;
    pos = nextPresent;
  }
  for (const row of unplaced) {
    problems.push({ kind: 'inserted', seq: row.seq, event_id: row.event_id, detail: placed.has(row.seq) ? 'a second row claims a position the chain gives another' : 'not part of the chain' });
  }
  problems.sort((a, b) => a.seq - b.seq);
  return { problems, placed, head };
}

/** The lowest position above `pos` that a row not yet placed claims, or `hi + 1`. */
function nextSeqAfter(rows: Set<StoredChainRow>, pos: number, hi: number): number {
  let next = hi + 1;
  for (const row of rows) if (row.seq > pos && row.seq < next) next = row.seq;
  return next;
}
