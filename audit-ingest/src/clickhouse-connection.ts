import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { openChdbStoreConnection } from './chdb-store-connection.ts';
import { AuditIngestError } from './errors.ts';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Where the audit store lives: chDB in this process (embedded default, tests) or a ClickHouse server. */
export const ClickHouseConnectionOptionsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chdb'),
    /** Data directory; created when missing. One process at a time may open it. */
    path: z.string().min(1),
  }),
  z.object({
    kind: z.literal('clickhouse'),
    url: z.url({ protocol: /^https?$/ }),
    username: z.string().optional(),
    password: z.string().optional(),
    database: z.string().min(1).optional(),
  }),
]);
export type ClickHouseConnectionOptions = z.infer<typeof ClickHouseConnectionOptionsSchema>;

/**
 * A `@clickhouse/client` for the audit store; the same SQL and the same client API serve both
 * kinds. `clickhouse_settings` apply to one request on both (see chdb-store-connection.ts).
 * For chDB, a process can have one data directory open at a time: `close()` the client before
 * opening another path; several clients on the same path are fine.
 */
export function createClickHouseConnection(options: ClickHouseConnectionOptions): ClickHouseClient {
  const parsed = ClickHouseConnectionOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new AuditIngestError(
      'GH_ERR_AUDIT_CONNECTION_INVALID',
      `invalid audit store connection options: ${z.prettifyError(parsed.error)}`,
    );
  }
  const target = parsed.data;
  if (target.kind === 'chdb') {
    // chdb/connection implements the Connection of @clickhouse/client-common; @clickhouse/client
    // bundles its own copy of those types, whose settings list differs slightly.
    return createClient({ connection: openChdbStoreConnection(target.path) as unknown as ClientConnection });
  }
  return createClient({
    url: target.url,
    username: target.username,
    password: target.password,
    database: target.database,
    application: 'gatehouse-audit-ingest',
  });
}
