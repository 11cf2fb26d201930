import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { Clock } from '../../events/src/index.ts';
import { checkpointWindow, signCheckpoint, storeCheckpoints, type Checkpoint } from './checkpoint.ts';
import type { CheckpointSigner } from './checkpoint-keys.ts';
import type { ChainedAuditEventRow } from './event-row.ts';
import { createGroupCommit } from './group-commit.ts';
import { HASH_BYTES, merkleRoot, packLeafHashes } from './merkle-tree.ts';
import { AUDIT_CHECKPOINTS_TABLE, AUDIT_EVENTS_TABLE } from './migrations.ts';

export interface CheckpointerOptions {
  connection: ClickHouseClient;
  signer: CheckpointSigner;
  /** Where each checkpoint is also written as a JSON file; none when undefined. */
  directory?: string;
  /** A checkpoint is written once this many rows of a chain are uncovered. Default 1000. */
  everyEvents?: number;
  /** …or once the oldest uncovered row has waited this long. Default 60 s. */
  intervalMs?: number;
  clock: Clock;
  logger: Logger;
}

/** Signs checkpoints over the rows the writer stored, per chain (topic and partition). */
export interface Checkpointer {
  /** Rows just stored, next in chain order; writes a checkpoint when enough are pending. */
  recordStored(topic: string, partition: number, stored: ChainSegment): Promise<void>;
  /** Drops what it knows of a chain (after a failed insert): the next rows reload it from ClickHouse. */
  forget(topic: string, partition: number): void;
  /** Checkpoints the chains whose oldest uncovered row has waited `intervalMs`. */
  checkpointDue(): Promise<void>;
  /** Checkpoints every chain with uncovered rows (at shutdown). */
  checkpointAll(): Promise<void>;
}

/**
 * Stored rows of one chain, next to each other, as much as a checkpoint needs of them. Kept until
 * a checkpoint covers them: a few buffers and strings per insert rather than objects per row,
 * which would outlive V8's young generation and burden the garbage collector.
 */
export interface ChainSegment {
  firstSeq: number;
  lastSeq: number;
  /** The rows' leaf hashes, 32 bytes each, in chain order. */
  leafHashes: Buffer;
  /** The chain hash after the last row. */
  chainHead: string;
  /** The earliest and latest row times, in ClickHouse's text form, so that they compare as strings. */
  firstTime: string;
  lastTime: string;
}

/** The segment of `rows` (one chain, in order, at least one) whose leaf hashes are packed in `leafHashes`. */
export function chainSegment(rows: readonly SegmentRow[], leafHashes: Buffer): ChainSegment {
  const recorder = createSegmentRecorder();
  for (const row of rows) recorder.add(row);
  return recorder.segment(leafHashes);
}

type SegmentRow = Pick<ChainedAuditEventRow, 'seq' | 'chain_hash' | 'time'>;

/** Builds the ChainSegment of rows given one at a time, in chain order (at least one), without keeping them. */
export function createSegmentRecorder(): { add(row: SegmentRow): void; segment(leafHashes: Buffer): ChainSegment } {
  let range: Omit<ChainSegment, 'leafHashes'> | undefined;
  return {
    add({ seq, chain_hash: chainHead, time }) {
      if (!range) {
        range = { firstSeq: seq, lastSeq: seq, chainHead, firstTime: time, lastTime: time };
        return;
      }
      range.lastSeq = seq;
      range.chainHead = chainHead;
      if (time < range.firstTime) range.firstTime = time;
      if (time > range.lastTime) range.lastTime = time;
    },
    segment: (leafHashes) => ({ ...range!, leafHashes }),
  };
}

/** How many rows the segments hold: a chain has a few pending, one per insert since its last checkpoint. */
function rowsIn(segments: readonly ChainSegment[]): number {
  let rows = 0;
  for (const segment of segments) rows += segment.leafHashes.length / HASH_BYTES;
  return rows;
}

interface CheckpointInsert {
  month: string;
  insert: { rows: number; token: string };
  checkpoint: Checkpoint;
}

const MAX_CHECKPOINTS_PER_INSERT = 1_000;

interface ChainState {
  topic: string;
  partition: number;
  /** Stored and not yet covered by a checkpoint, in chain order. */
  pending: ChainSegment[];
  pendingSince: number;
}

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { connection, signer, clock, logger } = options;
  const everyEvents = options.everyEvents ?? 1_000;
  const intervalMs = options.intervalMs ?? 60_000;
  const chains = new Map<string, ChainState>();
  // The chains stored by one insert of the writer come due together: their checkpoints share an insert.
  const checkpointInserts = createGroupCommit<CheckpointInsert>(
    (group, token) => storeCheckpoints(connection, options.directory, group.map(({ checkpoint }) => checkpoint), token),
    MAX_CHECKPOINTS_PER_INSERT,
  );
  const locks = new Map<string, Promise<unknown>>();

  /** One operation at a time per chain: the writer and the timer both checkpoint. */
  function locked<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = locks.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    locks.set(key, next.catch(() => undefined));
    return next;
  }

  async function write(state: ChainState): Promise<void> {
    const segments = state.pending;
    if (segments.length === 0) return;
    const first = segments[0]!;
    const last = segments[segments.length - 1]!;
    let { firstTime, lastTime } = first;
    for (const segment of segments) {
      if (segment.firstTime < firstTime) firstTime = segment.firstTime;
      if (segment.lastTime > lastTime) lastTime = segment.lastTime;
    }
    const checkpoint = signCheckpoint(
      {
        kafka_topic: state.topic,
        kafka_partition: state.partition,
        first_seq: String(first.firstSeq),
        last_seq: String(last.lastSeq),
        merkle_root: merkleRoot(segments.map((segment) => segment.leafHashes)).toString('hex'),
        chain_head: last.chainHead,
        first_time: firstTime,
        last_time: lastTime,
        created_at: new Date(clock.now()).toISOString().replace('T', ' ').replace('Z', ''),
      },
      signer,
    );
    await checkpointInserts.store({
      // The checkpoints table is partitioned by the month of last_time, as audit_events by time.
      month: checkpoint.last_time.slice(0, 7),
      insert: { rows: 1, token: `checkpoint/${checkpointWindow(checkpoint)}` },
      checkpoint,
    });
    state.pending = [];
    logger.debug({ topic: state.topic, partition: state.partition, first_seq: checkpoint.first_seq, last_seq: checkpoint.last_seq }, 'audit checkpoint signed');
  }

  return {
    recordStored(topic, partition, stored) {
      const key = `${topic}\u0000${partition}`;
      return locked(key, async () => {
        let state = chains.get(key);
        if (!state) {
          const uncovered = await uncoveredRows(connection, topic, partition, stored.firstSeq);
          state = { topic, partition, pending: uncovered ? [uncovered] : [], pendingSince: clock.now() };
          chains.set(key, state);
        }
        if (state.pending.length === 0) state.pendingSince = clock.now();
        state.pending.push(stored);
        if (rowsIn(state.pending) >= everyEvents) await write(state);
      });
    },

    forget(topic, partition) {
      // After what was recorded before: a checkpoint in flight would otherwise land after the
      // chain was reloaded from the store, and the next one would cover its rows again.
      const key = `${topic}\u0000${partition}`;
      void locked(key, async () => {
        chains.delete(key);
      });
    },

    async checkpointDue() {
      const now = clock.now();
      await Promise.all(
        [...chains].map(([key, state]) =>
          locked(key, async () => {
            if (state.pending.length > 0 && now - state.pendingSince >= intervalMs) await write(state);
          }),
        ),
      );
    },

    async checkpointAll() {
      // Every chain with work queued, not only those known yet: a chain's first rows wait for
      // what the store holds uncovered before they are known.
      await Promise.all(
        [...locks.keys()].map((key) =>
          locked(key, async () => {
            const state = chains.get(key);
            if (state) await write(state);
          }),
        ),
      );
    },
  };
}

/**
 * Rows a previous process stored after its last checkpoint and before `beforeSeq`: the next
 * checkpoint covers them too, so a crash leaves no row outside every signed window.
 */
async function uncoveredRows(connection: ClickHouseClient, topic: string, partition: number, beforeSeq: number): Promise<ChainSegment | undefined> {
  const result = await connection.query({
    query: `SELECT seq, leaf_hash, chain_hash, time
            FROM ${AUDIT_EVENTS_TABLE}
            WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32} AND leaf_hash != ''
              AND seq < {beforeSeq:UInt64}
              AND seq >= (SELECT if(count() = 0, 0, max(last_seq) + 1) FROM ${AUDIT_CHECKPOINTS_TABLE}
                          WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32})
            ORDER BY seq`,
    query_params: { topic, partition, beforeSeq },
    format: 'JSONEachRow',
  });
  const rows = (await result.json<{ seq: number | string; leaf_hash: string; chain_hash: string; time: string }>()).map((row) => ({ ...row, seq: Number(row.seq) }));
  return rows.length === 0 ? undefined : chainSegment(rows, packLeafHashes(rows.map((row) => row.leaf_hash)));
}
