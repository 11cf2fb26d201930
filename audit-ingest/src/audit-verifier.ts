import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { CheckpointSchema, checkpointStatement, readCheckpoints, type Checkpoint } from './checkpoint.ts';
import type { CheckpointVerifier } from './checkpoint-keys.ts';
import { walkChain, type RowProblemKind, type StoredChainRow } from './chain-walk.ts';
import type { AuditEventRow } from './event-row.ts';
import { EMPTY_CHAIN, eventLeafHash } from './hash-chain.ts';
import { merkleRoot } from './merkle-tree.ts';
import { AUDIT_EVENTS_TABLE } from './migrations.ts';

export interface VerifyOptions {
  connection: ClickHouseClient;
  /** The public key checkpoints must be signed with. */
  verifier: CheckpointVerifier;
  /** Only chains' windows holding events of this time range (default: everything). */
  from?: Date;
  to?: Date;
  /** The checkpoint directory: each checkpoint there must also be in ClickHouse, unchanged. */
  checkpointDirectory?: string;
}

export type VerifyProblemKind = RowProblemKind | 'bad_signature' | 'checkpoint_mismatch' | 'checkpoint_missing';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** `<topic>/<partition>` */
  chain: string;
  seq?: number;
  last_seq?: number;
  event_id?: string;
  detail: string;
}

export interface ChainSummary {
  chain: string;
  first_seq: number;
  last_seq: number;
  rows: number;
  checkpoints: number;
  /** Rows after the last checkpoint: chained, not yet signed. */
  unsigned_rows: number;
}

export interface VerifyReport {
  ok: boolean;
  chains: ChainSummary[];
  problems: VerifyProblem[];
}

/** Rows loaded at a time; pages end where a checkpoint ends, so each checkpoint is checked against one page. */
const PAGE_ROWS = 50_000;
const FAR_PAST = '1900-01-01 00:00:00.000';
const FAR_FUTURE = '2299-12-31 23:59:59.999';

/**
 * Recomputes the audit trail's evidence from ClickHouse alone: every row's leaf hash from its
 * content, every chain link, every checkpoint's signature, Merkle root and chain head, and the
 * continuity of the checkpoints; reports each changed, missing, inserted or reordered row and each
 * bad checkpoint.
 */
export async function verifyAuditTrail(options: VerifyOptions): Promise<VerifyReport> {
  const { connection } = options;
  const range = { from: options.from ? toClickHouseTime(options.from) : FAR_PAST, to: options.to ? toClickHouseTime(options.to) : FAR_FUTURE };
  const checkpoints = await readCheckpoints(connection, range);
  const chains = await chainRanges(connection, range, checkpoints);
  const problems: VerifyProblem[] = await unchainedRows(connection, range);
  const summaries: ChainSummary[] = [];

  for (const chain of chains) {
    const name = `${chain.topic}/${chain.partition}`;
    const own = checkpoints.filter((checkpoint) => checkpoint.kafka_topic === chain.topic && checkpoint.kafka_partition === chain.partition);
    let head = chain.lo === 0 ? EMPTY_CHAIN.chainHash : await chainHashAt(connection, chain.topic, chain.partition, chain.lo - 1);
    let placed = new Map<number, StoredChainRow>();
    let rows = 0;
    for (let start = chain.lo; start <= chain.hi; ) {
      const end = pageEnd(start, chain.hi, own);
      const page = await chainRows(connection, chain.topic, chain.partition, start, end);
      rows += page.length;
      const walk = walkChain(page, start, end, head);
      problems.push(...walk.problems.map((problem) => ({ ...problem, chain: name })));
      // The previous page stays at hand for a checkpoint that straddles the boundary.
      placed = new Map([...[...placed].filter(([seq]) => seq >= start - PAGE_ROWS), ...walk.placed]);
      for (const checkpoint of own.filter((c) => Number(c.last_seq) >= start && Number(c.last_seq) <= end)) {
        problems.push(...checkCheckpoint(checkpoint, placed, options.verifier).map((detail) => ({ ...detail, chain: name })));
      }
      head = walk.head;
      start = end + 1;
    }
    problems.push(...checkpointGaps(own, chain.lo).map((problem) => ({ ...problem, chain: name })));
    if (options.checkpointDirectory) problems.push(...checkDirectory(options.checkpointDirectory, chain, own, options.verifier).map((problem) => ({ ...problem, chain: name })));
    const lastSigned = Math.max(chain.lo - 1, ...own.map((checkpoint) => Number(checkpoint.last_seq)));
    summaries.push({ chain: name, first_seq: chain.lo, last_seq: chain.hi, rows, checkpoints: own.length, unsigned_rows: Math.max(0, chain.hi - lastSigned) });
  }
  return { ok: problems.length === 0, chains: summaries, problems };
}

interface ChainRange {
  topic: string;
  partition: number;
  lo: number;
  hi: number;
}

/** Per chain: the positions holding events of the range, widened to whole checkpoint windows. */
async function chainRanges(connection: ClickHouseClient, range: { from: string; to: string }, checkpoints: Checkpoint[]): Promise<ChainRange[]> {
  const result = await connection.query({
    query: `SELECT kafka_topic AS topic, kafka_partition AS partition, min(seq) AS lo, max(seq) AS hi
            FROM ${AUDIT_EVENTS_TABLE}
            WHERE leaf_hash != '' AND time >= {from:DateTime64(3, 'UTC')} AND time <= {to:DateTime64(3, 'UTC')}
            GROUP BY topic, partition`,
    query_params: range,
    format: 'JSONEachRow',
  });
  const chains = new Map<string, ChainRange>();
  for (const row of await result.json<{ topic: string; partition: number; lo: number | string; hi: number | string }>()) {
    chains.set(`${row.topic}/${row.partition}`, { topic: row.topic, partition: Number(row.partition), lo: Number(row.lo), hi: Number(row.hi) });
  }
  for (const checkpoint of checkpoints) {
    const key = `${checkpoint.kafka_topic}/${checkpoint.kafka_partition}`;
    const known = chains.get(key) ?? { topic: checkpoint.kafka_topic, partition: checkpoint.kafka_partition, lo: Infinity, hi: -Infinity };
    chains.set(key, { ...known, lo: Math.min(known.lo, Number(checkpoint.first_seq)), hi: Math.max(known.hi, Number(checkpoint.last_seq)) });
  }
  return [...chains.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

function pageEnd(start: number, hi: number, checkpoints: Checkpoint[]): number {
  const target = start + PAGE_ROWS - 1;
  const straddling = checkpoints.find((checkpoint) => Number(checkpoint.first_seq) <= target && Number(checkpoint.last_seq) >= target);
  return Math.min(hi, straddling ? Number(straddling.last_seq) : target);
}

const ROW_COLUMNS = `event_id, time, type, version, trace_id, gateway, principal_subject, principal_email, principal_groups,
  portal, server, tool, decision, correlation_id, body, kafka_topic, kafka_partition, kafka_offset, seq, leaf_hash, chain_hash`;

async function chainRows(connection: ClickHouseClient, topic: string, partition: number, lo: number, hi: number): Promise<StoredChainRow[]> {
  const result = await connection.query({
    query: `SELECT ${ROW_COLUMNS} FROM ${AUDIT_EVENTS_TABLE}
            WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32} AND leaf_hash != ''
              AND seq >= {lo:UInt64} AND seq <= {hi:UInt64}
            ORDER BY seq`,
    query_params: { topic, partition, lo, hi },
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
  });
  const rows = await result.json<AuditEventRow & { seq: string; leaf_hash: string; chain_hash: string }>();
  return rows.map((row) => ({ seq: Number(row.seq), event_id: row.event_id, leaf_hash: row.leaf_hash, chain_hash: row.chain_hash, content_leaf: eventLeafHash(row) }));
}

/** The stored chain hash at one position, the anchor of a walk that starts after it; undefined when that row is gone. */
async function chainHashAt(connection: ClickHouseClient, topic: string, partition: number, seq: number): Promise<string | undefined> {
  const result = await connection.query({
    query: `SELECT chain_hash FROM ${AUDIT_EVENTS_TABLE}
            WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32} AND seq = {seq:UInt64} AND leaf_hash != '' LIMIT 1`,
    query_params: { topic, partition, seq },
    format: 'JSONEachRow',
  });
  return (await result.json<{ chain_hash: string }>())[0]?.chain_hash;
}

/** Rows stored after the chain existed but without a place in it: written around the ingester. */
async function unchainedRows(connection: ClickHouseClient, range: { from: string; to: string }): Promise<VerifyProblem[]> {
  const result = await connection.query({
    query: `SELECT toString(event_id) AS event_id, kafka_topic, kafka_partition FROM ${AUDIT_EVENTS_TABLE}
            WHERE leaf_hash = '' AND time >= {from:DateTime64(3, 'UTC')} AND time <= {to:DateTime64(3, 'UTC')}
              AND ingested_at >= (SELECT min(applied_at) FROM schema_migrations WHERE version = 2)
            LIMIT 10000`,
    query_params: range,
    format: 'JSONEachRow',
  });
  return (await result.json<{ event_id: string; kafka_topic: string; kafka_partition: number }>()).map((row) => ({
    kind: 'inserted',
    chain: `${row.kafka_topic}/${row.kafka_partition}`,
    event_id: row.event_id,
    detail: 'the row has no place in any hash chain',
  }));
}

function checkCheckpoint(checkpoint: Checkpoint, placed: Map<number, StoredChainRow>, verifier: CheckpointVerifier): Omit<VerifyProblem, 'chain'>[] {
  const window = `checkpoint of seq ${checkpoint.first_seq}..${checkpoint.last_seq}`;
  const at = { seq: Number(checkpoint.first_seq), last_seq: Number(checkpoint.last_seq) };
  const problems: Omit<VerifyProblem, 'chain'>[] = [];
  const { signature, ...signed } = checkpoint;
  if (checkpoint.key_id !== verifier.keyId) {
    problems.push({ kind: 'bad_signature', ...at, detail: `${window} is signed by key ${checkpoint.key_id}, not the trusted key ${verifier.keyId}` });
  } else if (!verifier.verify(checkpointStatement(signed), signature)) {
    problems.push({ kind: 'bad_signature', ...at, detail: `${window}: the signature does not verify` });
  }
  const leaves: Buffer[] = [];
  for (let seq = at.seq; seq <= at.last_seq; seq += 1) {
    const row = placed.get(seq);
    if (row) leaves.push(Buffer.from(row.content_leaf, 'hex'));
  }
  if (merkleRoot(leaves).toString('hex') !== checkpoint.merkle_root) {
    problems.push({ kind: 'checkpoint_mismatch', ...at, detail: `${window}: the Merkle root of the stored rows differs from the signed root` });
  } else if (placed.get(at.last_seq)?.chain_hash !== checkpoint.chain_head) {
    problems.push({ kind: 'checkpoint_mismatch', ...at, detail: `${window}: the chain hash at seq ${at.last_seq} differs from the signed chain head` });
  }
  return problems;
}

/** Consecutive checkpoints of a chain cover consecutive windows; a gap means a checkpoint was removed. */
function checkpointGaps(checkpoints: Checkpoint[], lo: number): Omit<VerifyProblem, 'chain'>[] {
  const problems: Omit<VerifyProblem, 'chain'>[] = [];
  let covered = Number(checkpoints[0]?.first_seq ?? lo) - 1;
  for (const checkpoint of checkpoints) {
    const first = Number(checkpoint.first_seq);
    if (first > covered + 1) {
      problems.push({ kind: 'checkpoint_missing', seq: covered + 1, last_seq: first - 1, detail: `no checkpoint covers seq ${covered + 1}..${first - 1}` });
    }
    covered = Math.max(covered, Number(checkpoint.last_seq));
  }
  return problems;
}

/** Each checkpoint in the directory must be in ClickHouse with the same content, and signed by the trusted key. */
function checkDirectory(directory: string, chain: ChainRange, stored: Checkpoint[], verifier: CheckpointVerifier): Omit<VerifyProblem, 'chain'>[] {
  const folder = join(directory, encodeURIComponent(chain.topic), String(chain.partition));
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const problems: Omit<VerifyProblem, 'chain'>[] = [];
  for (const name of names) {
    const parsed = CheckpointSchema.safeParse(JSON.parse(readFileSync(join(folder, name), 'utf8')));
    if (!parsed.success) continue;
    const file = parsed.data;
    const at = { seq: Number(file.first_seq), last_seq: Number(file.last_seq) };
    if (at.last_seq < chain.lo || at.seq > chain.hi) continue;
    const { signature, ...signed } = file;
    if (file.key_id !== verifier.keyId || !verifier.verify(checkpointStatement(signed), signature)) continue;
    const match = stored.find((checkpoint) => checkpoint.first_seq === file.first_seq && checkpoint.last_seq === file.last_seq);
    if (!match) problems.push({ kind: 'checkpoint_missing', ...at, detail: `checkpoint ${name} of the checkpoint directory is not in ClickHouse` });
    else if (match.signature !== file.signature || match.merkle_root !== file.merkle_root) {
      problems.push({ kind: 'checkpoint_mismatch', ...at, detail: `checkpoint ${name} differs from its copy in ClickHouse` });
    }
  }
  return problems;
}

function toClickHouseTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
