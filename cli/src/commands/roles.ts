import type { Logger } from 'pino';
import { AUDIT_INGEST_FETCH, auditQueryApi, createClickHouseConnection } from '../../../audit-ingest/src/index.ts';
import { createKafkaBus, systemClock, topicNames, type Bus, type Topics } from '../../../events/src/index.ts';
import type { Command, CommandIO } from '../command.ts';
import { ConfigError } from '../config/load-config.ts';
import { loadSettings } from '../config/load-settings.ts';
import type { CommandLineOverrides, RuntimeSettings } from '../config/runtime-settings.ts';
import { createLogger } from '../logger.ts';
import { parseCommandArgs, parsePortOption } from '../parse-args.ts';
import { openAuditStore, startAuditIngest } from '../run/audit-ingest-role.ts';
import { startDlpWorker } from '../run/dlp-worker-role.ts';
import { createGatewayRole } from '../run/gateway-role.ts';
import { busReachable, createRoleObservability, startHealthServer, type HealthServer, type RoleObservability } from '../run/role-observability.ts';
import { storeReachable } from '../run/store-reachable.ts';
import { reloadOnConfigChange } from '../run/config-reload.ts';
import { closeOnSignal } from '../run/wait-for-shutdown.ts';

interface RoleContext {
  settings: RuntimeSettings;
  overrides: CommandLineOverrides;
  bus: Bus;
  topics: Topics;
  logger: Logger;
  io: CommandIO;
  observability: RoleObservability;
}

const ROLE_ENVIRONMENT = `
Environment: KAFKA_BROKERS (comma-separated host:port; overrides bus.kafka.brokers),
GATEHOUSE_CONFIG, LOG_LEVEL. Each role reads the same gatehouse.yaml; run as many replicas of a
role as you need: they share the work through Kafka consumer groups.
Health: /healthz, /readyz and /metrics (see observability: in the config) — the gateway on its
own port, the others on observability.metrics.port (default dlp-worker 9464, audit-ingest 9465).`;

/** A distributed role: one process, connected to Kafka, stopped cleanly on SIGINT/SIGTERM. */
function roleCommand(name: string, summary: string, help: string, start: (context: RoleContext) => Promise<() => Promise<void>>): Command {
  return {
    name,
    summary,
    help: `${help}${ROLE_ENVIRONMENT}`,
    async run(args, io) {
      const { values } = parseCommandArgs(args, { config: { type: 'string' }, port: { type: 'string' } });
      const overrides = { port: parsePortOption(values.port) };
      const settings = await loadSettings(io, { configPath: values.config, allowDemo: false, overrides });
      if (settings.kafkaBrokers.length === 0) {
        throw new ConfigError(
          `gatehouse ${name} needs Kafka: set KAFKA_BROKERS=host:port (for a local broker, run "gatehouse kafka start") or bus.kafka.brokers in ${settings.source}`,
        );
      }
      const logger = createLogger(io.env, name);
      const topics = topicNames(settings.config.bus.kafka.topic_prefix);
      const replyTopicPrefix = topics.verdictsFor('');
      const observability = createRoleObservability(settings, name);
      const kafkaBus = createKafkaBus({
        brokers: settings.kafkaBrokers,
        clientId: `${settings.config.bus.kafka.client_id}-${name}`,
        logger,
        // A reply topic is read by one gateway instance; the shared topics spread over workers.
        partitionsFor: (topic) => (topic.startsWith(replyTopicPrefix) ? 1 : settings.config.bus.kafka.partitions),
        partitionsConsumedConcurrently: settings.config.bus.kafka.partitions,
        // The ingester writes large deterministic batches; bigger fetches let it fill them.
        ...(name === 'audit-ingest' ? AUDIT_INGEST_FETCH : {}),
      });
      const bus = observability.observe(kafkaBus);
      let stop: () => Promise<void>;
      try {
        stop = await start({ settings, overrides, bus, topics, logger, io, observability });
      } catch (error) {
        await bus.close();
        await observability.close();
        throw error;
      }
      await closeOnSignal(async () => {
        await stop();
        await bus.close();
        await observability.close();
      }, logger);
      return 0;
    },
  };
}

export const gatewayCommand = roleCommand(
  'gateway',
  'Run the gateway role against Kafka (distributed mode)',
  `
Usage: gatehouse gateway [--config FILE] [--port N]

Serves MCP clients at /mcp and /mcp/<portal>, authenticates them, and sends every tool call's
arguments and results for a DLP verdict over Kafka; no verdict in time refuses the call.
Prints the listening URL once it can take traffic. Edits of the config file apply without a
restart once they validate; an invalid edit is logged and the running config stays. With a
ClickHouse server (CLICKHOUSE_URL) it also serves the compliance query API at /audit/queries.
`,
  async ({ settings, overrides, bus, topics, logger, io, observability }) => {
    const readiness = [busReachable(bus, [topics.invocations, topics.audit])];
    const { gateway, reload, principalOf } = createGatewayRole({ settings, bus, topics, clock: systemClock, logger, observability: { ...observability, readiness } });
    // The compliance query API needs the store; a chDB store belongs to audit-ingest's process.
    const auditConnection = settings.store.kind === 'clickhouse' ? createClickHouseConnection(settings.store) : undefined;
    if (auditConnection) {
      await gateway.app.register(auditQueryApi, { connection: auditConnection, authenticate: principalOf, allowedGroups: settings.auditTrail.queryApiGroups });
      gateway.app.addHook('onClose', () => auditConnection.close());
    }
    let url: string;
    try {
      await gateway.start();
      url = await gateway.listen(settings.host, settings.port);
    } catch (error) {
      await gateway.close();
      throw error;
    }
    const watcher = reloadOnConfigChange({ settings, env: io.env, overrides, apply: reload, bus, topics, clock: systemClock, logger });
    io.stdout.write(`Gatehouse gateway ${settings.instanceId} is ready: ${url}/mcp\n`);
    return async () => {
      watcher?.close();
      await gateway.close();
    };
  },
);

export const dlpWorkerCommand = roleCommand(
  'dlp-worker',
  'Run a DLP worker against Kafka (distributed mode)',
  `
Usage: gatehouse dlp-worker [--config FILE]

Consumes tool-call payloads from the invocations topic, scans them with the DLP profiles in the
config, and answers each gateway with allow, block or redact; every verdict is also audited.
`,
  async ({ settings, bus, topics, logger, io, observability }) => {
    const health = await startHealthServer({ settings, role: 'dlp-worker', metrics: observability.metrics, checks: [busReachable(bus, [topics.invocations, topics.audit])], logger });
    const worker = await startDlpWorker({ bus, topics, settings, clock: systemClock, logger }).catch(closingFirst(health));
    health.setStarted(true);
    io.stdout.write(`Gatehouse dlp-worker is consuming; health and metrics at ${health.url}.\n`);
    return async () => {
      health.setStarted(false);
      await worker.stop();
      await health.close();
    };
  },
);

export const auditIngestCommand = roleCommand(
  'audit-ingest',
  'Run audit-ingest against Kafka and ClickHouse (distributed mode)',
  `
Usage: gatehouse audit-ingest [--config FILE]

Writes the audit topic into ClickHouse (CLICKHOUSE_URL, or chDB at store.chdb_path), creating
the tables when missing; offsets are committed only after ClickHouse acknowledged the batch.
Also: CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, GATEHOUSE_CHDB_PATH.
`,
  async ({ settings, bus, topics, logger, io, observability }) => {
    const store = await openAuditStore(settings.store, logger, { retentionDays: settings.auditTrail.retentionDays });
    try {
      const health = await startHealthServer({ settings, role: 'audit-ingest', metrics: observability.metrics, checks: [busReachable(bus, [topics.audit]), storeReachable(store.connection)], logger });
      const ingest = await startAuditIngest({ bus, topics, store, logger, trail: settings.auditTrail }).catch(closingFirst(health));
      health.setStarted(true);
      io.stdout.write(`Gatehouse audit-ingest is consuming; health and metrics at ${health.url}.\n`);
      return async () => {
        health.setStarted(false);
        await ingest.stop();
        await health.close();
        await store.close();
      };
    } catch (error) {
      await store.close();
      throw error;
    }
  },
);

/** Closes the health server of a role that failed to start, then rethrows why. */
function closingFirst(health: HealthServer) {
  return async (error: unknown): Promise<never> => {
    await health.close();
    throw error;
  };
}
