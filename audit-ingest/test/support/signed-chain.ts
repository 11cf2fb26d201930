import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { systemClock } from '../../../events/src/index.ts';
import { createAuditBatchWriter, createCheckpointer, signerFromPem, type CheckpointSigner, type Checkpointer } from '../../src/index.ts';
import { delivered, toolCallEvents, uniqueContext } from './audit-events.ts';

export function testSigner(): CheckpointSigner {
  const { privateKey } = generateKeyPairSync('ed25519');
  return signerFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'a test key');
}

export interface SignedChain {
  topic: string;
  /** Event ids in chain order: ids[seq]. */
  ids: string[];
  checkpointDirectory: string;
}

/**
 * Stores `calls` tool calls (three events each) on a topic of its own through the real writer, in
 * batches of five, with a checkpoint every `checkpointEvery` rows and one at the end.
 */
export async function writeSignedChain(
  connection: ClickHouseClient,
  signer: CheckpointSigner,
  options: { calls: number; checkpointEvery: number },
): Promise<SignedChain> {
  const topic = `test.audit.${Date.now()}.${Math.random().toString(36).slice(2)}`;
  const checkpointDirectory = mkdtempSync(join(tmpdir(), 'gatehouse-checkpoints-'));
  const logger = pino({ level: 'silent' });
  const checkpointer: Checkpointer = createCheckpointer({ connection, signer, directory: checkpointDirectory, everyEvents: options.checkpointEvery, clock: systemClock, logger });
  const writer = createAuditBatchWriter({ connection, logger, checkpointer });
  const events = delivered(Array.from({ length: options.calls }, () => toolCallEvents(uniqueContext())).flat());
  for (let i = 0; i < events.length; i += 5) await writer.write(topic, events.slice(i, i + 5));
  await checkpointer.checkpointAll();
  return { topic, ids: events.map(({ event }) => event.id), checkpointDirectory };
}
