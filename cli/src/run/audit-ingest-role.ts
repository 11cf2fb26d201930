import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { Bus, Topics } from '../../../events/src/index.ts';
import { createAuditIngest, createClickHouseConnection, migrate, runReadOnlyQuery, type ReadOnlyQueryResult } from '../../../audit-ingest/src/index.ts';
import type { StoreSettings } from '../config/runtime-settings.ts';

/** The audit store a process opened: chDB in this process or a ClickHouse server, schema current. */
export interface AuditStore {
  connection: ClickHouseClient;
  query(sql: string): Promise<ReadOnlyQueryResult>;
  close(): Promise<void>;
}

export async function openAuditStore(settings: StoreSettings, logger: Logger): Promise<AuditStore> {
  const connection = createClickHouseConnection(settings);
  try {
    await migrate(connection, logger);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return {
    connection,
    query: (sql) => runReadOnlyQuery(connection, sql),
    close: () => connection.close(),
  };
}

export async function startAuditIngest(input: { bus: Bus; topics: Topics; store: AuditStore; logger: Logger }) {
  await input.bus.ensureTopics([input.topics.audit]);
  const ingest = createAuditIngest({ bus: input.bus, topics: input.topics, connection: input.store.connection, logger: input.logger });
  await ingest.start();
  return ingest;
}
