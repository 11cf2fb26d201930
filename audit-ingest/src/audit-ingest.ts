import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { Bus, Subscription, Topics } from '../../events/src/index.ts';
import { createAuditBatchWriter } from './audit-batch-writer.ts';
import { migrate } from './migrations.ts';

export const DEFAULT_AUDIT_INGEST_GROUP = 'gatehouse-audit-ingest';

export interface AuditIngestOptions {
  bus: Bus;
  topics: Topics;
  connection: ClickHouseClient;
  logger: Logger;
  /** Consumer group; every replica of one deployment uses the same. */
  group?: string;
}

export interface AuditIngest {
  /** Migrates the schema, then consumes the audit topic from the group's committed offsets (or its beginning). */
  start(): Promise<void>;
  /** Stops consuming once the batch in flight is stored or failed. Does not close the connection: its owner does. */
  stop(): Promise<void>;
}

/**
 * Consumes the audit topic into ClickHouse. Each delivered batch becomes one insert, and the
 * handler resolves only once ClickHouse acknowledged it, so the bus commits offsets only for
 * stored events; a failed insert throws and the bus delivers the batch again. The in-process bus
 * hands over whatever is pending as one batch, which groups inserts under load without timers.
 */
export function createAuditIngest(options: AuditIngestOptions): AuditIngest {
  const { bus, topics, connection, logger } = options;
  const group = options.group ?? DEFAULT_AUDIT_INGEST_GROUP;
  const log = logger.child({ component: 'audit-ingest' });
  const writer = createAuditBatchWriter({ connection, logger: log });
  let subscription: Subscription | undefined;

  return {
    async start() {
      if (subscription) return;
      const { applied } = await migrate(connection, log);
      await bus.ensureTopics([topics.audit]);
      subscription = await bus.subscribe({ topic: topics.audit, group, fromBeginning: true }, async (batch) => {
        if (batch.length === 0) return;
        try {
          const result = await writer.write(topics.audit, batch);
          log.debug({ events: batch.length, ...result }, 'audit batch ingested');
        } catch (error) {
          log.warn(
            { events: batch.length, partition: batch[0]!.partition, first_offset: batch[0]!.offset, err: error },
            'audit batch not stored; it will be delivered again',
          );
          throw error;
        }
      });
      log.info({ topic: topics.audit, group, migrations_applied: applied }, 'audit ingest consuming');
    },

    async stop() {
      const stopping = subscription;
      subscription = undefined;
      await stopping?.stop();
    },
  };
}
