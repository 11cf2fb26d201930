import type { ClickHouseClient } from '@clickhouse/client';
import { EMPTY_CHAIN, type ChainTail } from './hash-chain.ts';
import { AUDIT_CHECKPOINTS_TABLE } from './migrations.ts';

/**
 * Where the chain of one topic partition ends in the store. Reads only rows past the chain's last
 * checkpoint, which the minmax index on `seq` finds without scanning the table.
 */
export async function readChainTail(connection: ClickHouseClient, table: string, topic: string, partition: number): Promise<ChainTail> {
  const result = await connection.query({
    query: `SELECT seq, chain_hash FROM ${table}
            WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32} AND leaf_hash != ''
              AND seq >= (SELECT if(count() = 0, 0, max(last_seq)) FROM ${AUDIT_CHECKPOINTS_TABLE}
                          WHERE kafka_topic = {topic:String} AND kafka_partition = {partition:UInt32})
            ORDER BY seq DESC
            LIMIT 1`,
    query_params: { topic, partition },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ seq: number | string; chain_hash: string }>();
  return row ? { seq: Number(row.seq), chainHash: row.chain_hash } : EMPTY_CHAIN;
}
