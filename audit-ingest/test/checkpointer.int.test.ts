import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../events/src/index.ts';
import { createAuditBatchWriter, createCheckpointer, migrate, verifierFromPem, verifyAuditTrail } from '../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { testSigner } from './support/signed-chain.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

interface StoredCheckpoint {
  kafka_partition: number;
  first_seq: string;
  last_seq: string;
}

/** `calls` tool calls (three events each) at offsets `firstOffset`, … of `partition`. */
const callsOn = (partition: number, calls: number, firstOffset = 0) =>
  delivered(Array.from({ length: calls }, () => toolCallEvents(uniqueContext())).flat(), firstOffset, partition);

describe('the checkpointer', () => {
  const logger = pino({ level: 'silent' });
  const signer = testSigner();
  const verifier = verifierFromPem(signer.publicKeyPem, 'the test key');
  let store: TempStore;
  /** Inserts sent to audit_checkpoints, through the real connection. */
  let checkpointInserts = 0;
  /** How many of the next inserts into audit_checkpoints fail, as a store that is briefly down. */
  let failingCheckpointInserts = 0;
  let connection: ClickHouseClient;

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
    const insert = store.connection.insert.bind(store.connection);
    connection = Object.assign(Object.create(store.connection) as ClickHouseClient, {
      insert: ((params) => {
        if (params.table === 'audit_checkpoints') {
          checkpointInserts += 1;
          if (failingCheckpointInserts > 0) {
            failingCheckpointInserts -= 1;
            return Promise.reject(new Error('the store is briefly down'));
          }
        }
        return insert(params);
      }) as ClickHouseClient['insert'],
    });
  });
  afterAll(async () => {
    await store.dispose();
  });

  const checkpointsOf = (topic: string) =>
    queryRows<StoredCheckpoint>(
      store.connection,
      'SELECT kafka_partition, toString(first_seq) AS first_seq, toString(last_seq) AS last_seq FROM audit_checkpoints WHERE kafka_topic = {topic:String} ORDER BY kafka_partition, first_seq',
      { topic },
    );

  it('stores the checkpoints that one insert of several partitions brings due as one insert, each verifying', async () => {
    const topic = `audit-checkpoints-${randomUUID()}`;
    const directory = mkdtempSync(join(tmpdir(), 'gatehouse-checkpoints-'));
    const checkpointer = createCheckpointer({ connection, signer, directory, everyEvents: 6, clock: systemClock, logger });
    const writer = createAuditBatchWriter({ connection, logger, checkpointer });
    // The first rows of each chain, checkpointed at once: the chains are known from here on.
    await writer.write(topic, [...callsOn(0, 1), ...callsOn(1, 1), ...callsOn(2, 1)]);
    await checkpointer.checkpointAll();
    const before = checkpointInserts;

    expect(await writer.write(topic, [...callsOn(0, 2, 3), ...callsOn(1, 3, 3), ...callsOn(2, 2, 3)])).toEqual({ inserted: 21, alreadyStored: 0 });
    await checkpointer.checkpointAll();

    expect(await checkpointsOf(topic)).toEqual([
      { kafka_partition: 0, first_seq: '0', last_seq: '2' },
      { kafka_partition: 0, first_seq: '3', last_seq: '8' },
      { kafka_partition: 1, first_seq: '0', last_seq: '2' },
      { kafka_partition: 1, first_seq: '3', last_seq: '11' },
      { kafka_partition: 2, first_seq: '0', last_seq: '2' },
      { kafka_partition: 2, first_seq: '3', last_seq: '8' },
    ]);
    expect(checkpointInserts - before).toBe(1);
    expect(readdirSync(join(directory, encodeURIComponent(topic))).sort()).toEqual(['0', '1', '2']);
    const report = await verifyAuditTrail({ connection: store.connection, verifier, checkpointDirectory: directory });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('covers the rows a previous process stored after its last checkpoint, together with the new ones, under one Merkle root', async () => {
    const topic = `audit-checkpoints-${randomUUID()}`;
    // The first process stores seven rows and stops before any checkpoint is due.
    const first = createCheckpointer({ connection, signer, everyEvents: 100, clock: systemClock, logger });
    await createAuditBatchWriter({ connection, logger, checkpointer: first }).write(topic, callsOn(0, 2).slice(0, 5));
    expect(await checkpointsOf(topic)).toEqual([]);

    const second = createCheckpointer({ connection, signer, everyEvents: 6, clock: systemClock, logger });
    await createAuditBatchWriter({ connection, logger, checkpointer: second }).write(topic, callsOn(0, 1, 5));
    await second.checkpointAll();

    expect(await checkpointsOf(topic)).toEqual([{ kafka_partition: 0, first_seq: '0', last_seq: '7' }]);
    const report = await verifyAuditTrail({ connection: store.connection, verifier });
    expect(report.problems).toEqual([]);
  });

  it('leaves no file for a checkpoint whose insert failed; the retry covers its rows, and verify finds nothing amiss', async () => {
    const topic = `audit-checkpoints-${randomUUID()}`;
    const directory = mkdtempSync(join(tmpdir(), 'gatehouse-checkpoints-'));
    const checkpointer = createCheckpointer({ connection, signer, directory, everyEvents: 3, clock: systemClock, logger });
    const writer = createAuditBatchWriter({ connection, logger, checkpointer });

    // The checkpoint of seq 0..2 fails to store; the next rows bring the window to 0..5.
    failingCheckpointInserts = 1;
    await writer.write(topic, callsOn(0, 1));
    await writer.write(topic, callsOn(0, 1, 3));
    await checkpointer.checkpointAll();
    expect(failingCheckpointInserts).toBe(0);

    expect(await checkpointsOf(topic)).toEqual([{ kafka_partition: 0, first_seq: '0', last_seq: '5' }]);
    expect(readdirSync(join(directory, encodeURIComponent(topic), '0'))).toEqual([`${'5'.padStart(20, '0')}.json`]);
    const report = await verifyAuditTrail({ connection: store.connection, verifier, checkpointDirectory: directory });
    expect(report.problems).toEqual([]);
  });
});
