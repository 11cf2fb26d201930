import { applyRetention, AUDIT_EVENTS_TABLE, createClickHouseConnection, MIGRATIONS, migrate, retentionDaysOf } from '../../../../audit-ingest/src/index.ts';
import type { Command } from '../../command.ts';
import { loadStoreSettings } from '../../config/load-settings.ts';
import { createLogger } from '../../logger.ts';
import { parseCommandArgs, UsageError } from '../../parse-args.ts';

export const auditMigrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending audit schema migrations and set the retention',
  help: `
Usage: gatehouse audit migrate [--retention-days N] [--config FILE]

Brings the audit store's schema (audit_events, audit_checkpoints, audit_findings) up to the
current version and sets the retention TTL. Every start does the same when its ClickHouse user
may; on a ClickHouse server whose ingest user may only insert and select, run this as the schema
owner (the break-glass admin, see audit-ingest/sql/roles.sql) with CLICKHOUSE_USER and
CLICKHOUSE_PASSWORD. Safe to run again: applied versions are skipped.

Options:
  --retention-days N   days ClickHouse keeps audit rows (at least 365, PCI DSS 10.5.1);
                       default: keep the current TTL (365 when there is none)
  --config FILE        the config naming the store (default: as for "gatehouse start")
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string' }, 'retention-days': { type: 'string' } });
    const raw = values['retention-days'];
    const retentionDays = raw === undefined ? undefined : Number(raw);
    if (retentionDays !== undefined && !Number.isInteger(retentionDays)) throw new UsageError(`--retention-days "${raw}" is not a whole number of days`);
    const store = await loadStoreSettings(io, values.config);
    const logger = createLogger({ ...io.env, LOG_LEVEL: io.env['LOG_LEVEL'] || 'warn' }, 'audit');
    const connection = createClickHouseConnection(store);
    try {
      const { applied } = await migrate(connection, logger);
      const retention = await applyRetention(connection, retentionDays, logger);
      const current = MIGRATIONS[MIGRATIONS.length - 1]!.version;
      const days = await retentionDaysOf(connection, AUDIT_EVENTS_TABLE);
      io.stdout.write(
        `${applied.length > 0 ? `Audit schema: applied ${applied.join(', ')}; now at version ${current}.` : `Audit schema is current (version ${current}).`}\n` +
          `Retention: ${days} days${retention.changed.length > 0 ? ` (set on ${retention.changed.join(', ')})` : ''}.\n`,
      );
      return 0;
    } finally {
      await connection.close();
    }
  },
};
