import type { ClickHouseClient } from '@clickhouse/client';
import type { ReadinessCheck } from '../../../events/src/observability/index.ts';

/** The audit store answers a query (ClickHouse over HTTP, or chDB in this process). */
export function storeReachable(connection: ClickHouseClient): ReadinessCheck {
  return {
    name: 'store',
    async check() {
      const result = await connection.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
      await result.json();
    },
  };
}
