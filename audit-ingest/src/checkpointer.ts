import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { Clock } from '../../events/src/index.ts';
import { signCheckpoint, storeCheckpoint } from './checkpoint.ts';
import type { CheckpointSigner } from './checkpoint-keys.ts';
import type { ChainedAuditEventRow } from './event-row.ts';
import { merkleRootHex } from './merkle-tree.ts';
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
  /** Rows just stored, in chain order; writes a checkpoint when enough are pending. */
  recordStored(topic: string, partition: number, rows: readonly ChainLink[]): Promise<void>;
  /** Drops what it knows of a chain (after a failed insert): the next rows reload it from ClickHouse. */
  forget(topic: string, partition: number): void;
  /** Checkpoints the chains whose oldest uncovered row has waited `intervalMs`. */
  checkpointDue(): Promise<void>;
  /** Checkpoints every chain with uncovered rows (at shutdown). */
  checkpointAll(): Promise<void>;
}

/** What a checkpoint needs of a stored row: its place in the chain and its time. */
export type ChainLink = Pick<ChainedAuditEventRow, 'seq' | 'leaf_hash' | 'chain_hash' | 'time'>;

interface Leaf {
  seq: number;
  leaf: string;
  chain: string;
  time: string;
}

interface ChainState {
  topic: string;
  partition: number;
  pending: Leaf[];
  pendingSince: number;
}

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { connection, signer, clock, logger } = options;
  const everyEvents = options.everyEvents ?? 1_000;
  const intervalMs = options.intervalMs ?? 60_000;
  const chains = new Map<string, ChainState>();
  const locks = new Map<string, Promise<unknown>>();

  /** One operation at a time per chain: the writer and the timer both checkpoint. */
  function locked<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = locks.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    locks.set(key, next.catch(() => undefined));
    return next;
  }

  async function write(state: ChainState): Promise<void> {
    if (state.pending.length === 0) return;
    const leaves = state.pending;
    // The same text form throughout, so the earliest and latest compare as strings.
    let firstTime = leaves[0]!.time;
    let lastTime = firstTime;
    for (const { time } of leaves) {
      if (time < firstTime) firstTime = time;
      if (time > lastTime) lastTime = time;
    }
    const checkpoint = signCheckpoint(
      {
        kafka_topic: state.topic,
        kafka_partition: state.partition,
        first_seq: String(leaves[0]!.seq),
        last_seq: String(leaves[leaves.length - 1]!.seq),
        merkle_root: merkleRootHex(leaves.map((leaf) => leaf.leaf)),
        chain_head: leaves[leaves.length - 1]!.chain,
        first_time: firstTime,
        last_time: lastTime,
        created_at: new Date(clock.now()).toISOString().replace('T', ' ').replace('Z', ''),
      },
      signer,
    );
    await storeCheckpoint(connection, options.directory, checkpoint);
    state.pending = [];
    logger.debug({ topic: state.topic, partition: state.partition, first_seq: checkpoint.first_seq, last_seq: checkpoint.last_seq }, 'audit checkpoint signed');
  }

  return {
    recordStored(topic, partition, rows) {
      const key = `${topic}\u0000${partition}`;
      return locked(key, async () => {
        if (rows.length === 0) return;
        let state = chains.get(key);
        if (!state) {
          state = { topic, partition, pending: await uncoveredRows(connection, topic, partition, rows[0]!.seq), pendingSince: clock.now() };
          chains.set(key, state);
        }
        if (state.pending.length === 0) state.pendingSince = clock.now();
        for (const row of rows) state.pending.push({ seq: row.seq, leaf: row.leaf_hash, chain: row.chain_hash, time: row.time });
        if (state.pending.length >= everyEvents) await write(state);
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
      await Promise.all([...chains].map(([key, state]) => locked(key, () => write(state))));
    },
  };
}

/**
 * Rows a previous process stored after its last checkpoint and before `beforeSeq`: the next
 * checkpoint covers them too, so a crash leaves no row outside every signed window.
 */
async function uncoveredRows(connection: ClickHouseClient, topic: string, partition: number, beforeSeq: number): Promise<Leaf[]> {
  const result = await connection.query({
    query: `SELECT seq, leaf_hash AS leaf, chain_hash AS chain, time
            FROM ${AUDIT_EVENTS_TABLE}
            WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32} AND leaf_hash != ''
              AND seq < {beforeSeq:UInt64}
              AND seq >= (SELECT if(count() = 0, 0, max(last_seq) + 1) FROM ${AUDIT_CHECKPOINTS_TABLE}
                          WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32})
            ORDER BY seq`,
    query_params: { topic, partition, beforeSeq },
    format: 'JSONEachRow',
  });
  return (await result.json<{ seq: number | string; leaf: string; chain: string; time: string }>()).map((row) => ({ ...row, seq: Number(row.seq) }));
}
