import type { Command } from '../command.ts';
import { loadSettings } from '../config/load-settings.ts';
import { createLogger } from '../logger.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { startAuditExporters } from '../run/audit-exporter-role.ts';
import { createRoleObservability, startHealthServer } from '../run/role-observability.ts';
import { closeOnSignal } from '../run/wait-for-shutdown.ts';

export const auditExporterCommand: Command = {
  name: 'audit-export',
  summary: 'Push the audit trail to SIEMs continuously (syslog, HTTP collector, Kafka topic)',
  help: `
Usage: gatehouse audit-export [--config FILE]

Runs the continuous SIEM exporter configured under "export:" in gatehouse.yaml: every audit
record, in the order it was stored, to each configured receiver —
  export.syslog  RFC 5424 over TCP (octet counting), CEF by default
  export.http    an HTTP collector such as Splunk HEC, with retries and backoff
  export.kafka   a Kafka topic of OCSF events (default <prefix>audit.ocsf)
Each receiver has a cursor file in export.cursor_dir that moves only after the receiver took a
page, so a restart continues where it stopped: nothing is lost, nothing is sent twice.

Reads ClickHouse (CLICKHOUSE_URL), or the chDB store — through a running "gatehouse start"
when one holds it. Stops on SIGINT/SIGTERM after the page in flight.
Environment: KAFKA_BROKERS (for export.kafka), the variable named by export.http.token,
GATEHOUSE_CONFIG, LOG_LEVEL. /healthz, /readyz and /metrics (export cursor of each receiver) on
observability.metrics.port (default 9466).
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string' } });
    const settings = await loadSettings(io, { configPath: values.config, allowDemo: false });
    const logger = createLogger(io.env, 'audit-export');
    const { metrics } = createRoleObservability(settings, 'audit-export');
    const health = await startHealthServer({ settings, role: 'audit-export', metrics, checks: [], logger });
    const exporters = await startAuditExporters(settings, io.env, logger, metrics).catch(async (error: unknown) => {
      await health.close();
      throw error;
    });
    health.setStarted(true);
    io.stdout.write(`Gatehouse audit-export is running: ${exporters.sinks.join(', ')}.\n`);
    await closeOnSignal(async () => {
      health.setStarted(false);
      await exporters.stop();
      await health.close();
    }, logger);
    return 0;
  },
};
