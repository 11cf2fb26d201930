import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import type { CheckpointSigner } from './checkpoint-keys.ts';
import { AuditIngestError, describeClickHouseError } from './errors.ts';
import { AUDIT_CHECKPOINTS_TABLE } from './migrations.ts';

/**
 * A signed statement about one window of one partition's hash chain: the RFC 6962 Merkle root of
 * the leaf hashes at `first_seq`..`last_seq` and the chain hash at `last_seq`. Times are
 * ClickHouse's text form (`YYYY-MM-DD hh:mm:ss.sss`, UTC); sequence numbers are decimal strings.
 */
export const CheckpointSchema = z.object({
  kafka_topic: z.string(),
  kafka_partition: z.coerce.number().int().nonnegative(),
  first_seq: z.coerce.string(),
  last_seq: z.coerce.string(),
  merkle_root: z.string(),
  chain_head: z.string(),
  first_time: z.string(),
  last_time: z.string(),
  created_at: z.string(),
  key_id: z.string(),
  signature: z.string(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;
export type UnsignedCheckpoint = Omit<Checkpoint, 'key_id' | 'signature'>;

/** The bytes a checkpoint's signature covers: every field but the signature, canonical JSON, with a format tag. */
export function checkpointStatement(checkpoint: Omit<Checkpoint, 'signature'>): string {
  const { kafka_topic, kafka_partition, first_seq, last_seq, merkle_root, chain_head, first_time, last_time, created_at, key_id } = checkpoint;
  return canonicalJson({
    format: 'gatehouse.audit.checkpoint.v1',
    kafka_topic,
    kafka_partition,
    first_seq,
    last_seq,
    merkle_root,
    chain_head,
    first_time,
    last_time,
    created_at,
    key_id,
  });
}

export function signCheckpoint(unsigned: UnsignedCheckpoint, signer: CheckpointSigner): Checkpoint {
  const withKey = { ...unsigned, key_id: signer.keyId };
  return { ...withKey, signature: signer.sign(checkpointStatement(withKey)) };
}

/** `<directory>/<topic>/<partition>/<last_seq, 20 digits>.json`: sorted by name is sorted by position. */
export function checkpointFilePath(directory: string, checkpoint: Pick<Checkpoint, 'kafka_topic' | 'kafka_partition' | 'last_seq'>): string {
  return join(directory, encodeURIComponent(checkpoint.kafka_topic), String(checkpoint.kafka_partition), `${checkpoint.last_seq.padStart(20, '0')}.json`);
}

/** `topic/partition/first-last`: the window a checkpoint covers, which names it in a deduplication token. */
export function checkpointWindow(checkpoint: Pick<Checkpoint, 'kafka_topic' | 'kafka_partition' | 'first_seq' | 'last_seq'>): string {
  return `${checkpoint.kafka_topic}/${checkpoint.kafka_partition}/${checkpoint.first_seq}-${checkpoint.last_seq}`;
}

/**
 * Stores checkpoints in ClickHouse, as one insert deduplicated by `token` so that a retry stores
 * them once (one insert for several: each costs ClickHouse a part, whatever its size), then in
 * the directory, each written to a temporary name and renamed so that a reader never sees half a
 * file. Files only after the insert: a failed insert is retried over a longer window, and a file
 * left from the first try would name a checkpoint the store never got.
 */
export async function storeCheckpoints(connection: ClickHouseClient, directory: string | undefined, checkpoints: readonly Checkpoint[], token: string): Promise<void> {
  try {
    await connection.insert({
      table: AUDIT_CHECKPOINTS_TABLE,
      values: checkpoints,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: token, async_insert: 0 },
    });
    if (directory) {
      for (const checkpoint of checkpoints) {
        const path = checkpointFilePath(directory, checkpoint);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(`${path}.tmp`, `${JSON.stringify(checkpoint, null, 2)}\n`);
        renameSync(`${path}.tmp`, path);
      }
    }
  } catch (error) {
    const windows = checkpoints.map(checkpointWindow).join(', ');
    throw new AuditIngestError('GH_ERR_AUDIT_CHECKPOINT_WRITE_FAILED', `storing the checkpoints of ${windows} failed: ${describeClickHouseError(error)}`, { cause: error });
  }
}

/**
 * Writes the signer's public key to `<directory>/keys/<key id>.pem`, beside the checkpoints it
 * verifies. A copy for convenience: a verifier should trust a copy it keeps elsewhere.
 */
export function publishPublicKey(directory: string, signer: CheckpointSigner): string {
  const path = join(directory, 'keys', `${signer.keyId}.pem`);
  mkdirSync(join(directory, 'keys'), { recursive: true });
  writeFileSync(path, signer.publicKeyPem);
  return path;
}

/** Checkpoints of the chains, optionally only those whose window overlaps a time range, in chain order. */
export async function readCheckpoints(connection: ClickHouseClient, range: { from: string; to: string }): Promise<Checkpoint[]> {
  const result = await connection.query({
    query: `SELECT * FROM ${AUDIT_CHECKPOINTS_TABLE}
            WHERE last_time >= {from:DateTime64(3, 'UTC')} AND first_time <= {to:DateTime64(3, 'UTC')}
            ORDER BY kafka_topic, kafka_partition, first_seq, last_seq`,
    query_params: range,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
  });
  return (await result.json<unknown>()).map((row) => CheckpointSchema.parse(row));
}
