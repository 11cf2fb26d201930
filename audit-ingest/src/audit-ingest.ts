import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { systemClock, type Bus, type Clock, type Subscription, type Topics } from '../../events/src/index.ts';
import { createAuditBatchWriter, type AuditWriteHooks } from './audit-batch-writer.ts';
import type { CheckpointSigner } from './checkpoint-keys.ts';
import { publishPublicKey } from './checkpoint.ts';
import { createCheckpointer, type Checkpointer } from './checkpointer.ts';
import { migrate } from './migrations.ts';

export const DEFAULT_AUDIT_INGEST_GROUP = 'gatehouse-audit-ingest';

const MIB = 1024 * 1024;

/**
 * Kafka fetch sizes for the bus this service consumes from (KafkaBusOptions): a partition's share
 * of one fetch is one delivered batch (2 MiB: about 4,000 events of 500 bytes), and the batches
 * of a fetch are grouped into inserts of up to `maxRowsPerInsert` rows. Larger fetches cost more
 * than they save: kafkajs decodes a whole fetch into objects at once, and those outlive V8's
 * young generation while the batches before them are stored. With 8 MiB per partition (48 MiB a
 * fetch) the whole machine spent about 59 µs of CPU per event, against 48 µs with 2 MiB (12 MiB
 * a fetch). 1 MiB (Kafka's default) did no better, and below it inserts got small enough for
 * ClickHouse's cost per insert to take over. Since rows are prepared on their own thread, 1 and
 * 4 MiB still do no better.
 */
export const AUDIT_INGEST_FETCH = { maxBytesPerPartition: 2 * MIB, maxBytes: 12 * MIB } as const;

export interface CheckpointOptions {
  signer: CheckpointSigner;
  /** A directory that receives a JSON copy of every checkpoint (and the public key). */
  directory?: string;
  everyEvents?: number;
  intervalMs?: number;
}

export interface AuditIngestOptions {
  bus: Bus;
  topics: Topics;
  connection: ClickHouseClient;
  logger: Logger;
  /** Consumer group; every replica of one deployment uses the same. */
  group?: string;
  /** Records of the audit topic that are not valid events go here with the reason (Kafka); default `<audit topic>.dead-letter`. */
  deadLetterTopic?: string;
  /** Signed checkpoints over the hash chains; without, rows are chained but no checkpoint is signed. */
  checkpoints?: CheckpointOptions;
  maxRowsPerInsert?: number;
  clock?: Clock;
  hooks?: AuditWriteHooks;
}

export interface AuditIngest {
  /** Migrates the schema, then consumes the audit topic from the group's committed offsets (or its beginning). */
  start(): Promise<void>;
  /**
   * Stops consuming once the batch in flight is stored or failed, then signs a checkpoint over
   * what is not yet covered. Does not close the connection: its owner does.
   */
  stop(): Promise<void>;
}

/**
 * Consumes the audit topic into ClickHouse. Each delivered batch is stored before the handler
 * resolves, so the bus commits offsets only for stored events; a failed insert throws and the bus
 * delivers the batch again. The in-process bus hands over whatever is pending as one batch, which
 * groups inserts under load without timers.
 */
export function createAuditIngest(options: AuditIngestOptions): AuditIngest {
  const { bus, topics, connection, logger } = options;
  const group = options.group ?? DEFAULT_AUDIT_INGEST_GROUP;
  const deadLetterTopic = options.deadLetterTopic ?? `${topics.audit}.dead-letter`;
  const clock = options.clock ?? systemClock;
  const log = logger.child({ component: 'audit-ingest' });
  const checkpointer = options.checkpoints ? createCheckpointer({ connection, clock, logger: log, ...options.checkpoints }) : undefined;
  const writer = createAuditBatchWriter({ connection, logger: log, checkpointer, maxRowsPerInsert: options.maxRowsPerInsert, hooks: options.hooks });
  let subscription: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;

  function startCheckpointTimer(active: Checkpointer): void {
    const intervalMs = options.checkpoints?.intervalMs ?? 60_000;
    timer = setInterval(() => {
      active.checkpointDue().catch((error: unknown) => log.warn({ err: error }, 'audit checkpoint not written; it is retried'));
    }, Math.max(100, Math.floor(intervalMs / 4)));
    timer.unref();
  }

  return {
    async start() {
      if (subscription) return;
      const { applied } = await migrate(connection, log);
      await bus.ensureTopics([topics.audit, deadLetterTopic]);
      subscription = await bus.subscribeRecords({ topic: topics.audit, group, fromBeginning: true, deadLetterTopic, fetchAhead: true }, async (records) => {
        // Not the records themselves: the writer lets go of them once their rows are encoded.
        const about = { records: records.length, partition: records[0]?.partition, first_offset: records[0]?.offset };
        try {
          const result = await writer.writeRecords(topics.audit, records);
          log.debug({ records: about.records, inserted: result.inserted, already_stored: result.alreadyStored, rejected: result.rejected.length }, 'audit batch ingested');
          return result;
        } catch (error) {
          log.warn({ ...about, err: error }, 'audit batch not stored; it will be delivered again');
          throw error;
        }
      });
      if (options.checkpoints?.directory) publishPublicKey(options.checkpoints.directory, options.checkpoints.signer);
      if (checkpointer) startCheckpointTimer(checkpointer);
      else log.warn('audit checkpoints are off: rows are hash-chained but no checkpoint is signed (configure audit.checkpoints)');
      log.info({ topic: topics.audit, group, dead_letter_topic: deadLetterTopic, migrations_applied: applied }, 'audit ingest consuming');
    },

    async stop() {
      const stopping = subscription;
      subscription = undefined;
      clearInterval(timer);
      await stopping?.stop();
      await writer.close();
      await checkpointer?.checkpointAll().catch((error: unknown) => log.warn({ err: error }, 'final audit checkpoint not written'));
    },
  };
}
