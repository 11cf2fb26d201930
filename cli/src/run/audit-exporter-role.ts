import path from 'node:path';
import type { Logger } from 'pino';
import {
  createContinuousExporter,
  createCursorFile,
  createHttpCollectorSink,
  createKafkaTopicSink,
  createSyslogSink,
  recordFormatter,
  type ExportFormat,
  type ExportSink,
} from '../../../audit-ingest/src/export/index.ts';
import { ConfigError } from '../config/load-config.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import { GATEHOUSE_VERSION } from '../version.ts';
import type { Metrics } from '../../../events/src/observability/index.ts';
import { openAuditStoreReader } from './audit-store-reader.ts';
import { observedCursor } from './observed-cursor.ts';

export interface AuditExporters {
  /** Receivers being exported to, by sink name. */
  sinks: string[];
  /** Finishes the page in flight of each exporter, then closes the sinks and the store. */
  stop(): Promise<void>;
}

interface Receiver {
  sink: ExportSink;
  format: ExportFormat;
}

/** One continuous exporter per receiver in `export:`, each with its own cursor file. */
export async function startAuditExporters(settings: RuntimeSettings, env: NodeJS.ProcessEnv, logger: Logger, metrics?: Metrics): Promise<AuditExporters> {
  const section = settings.config.export;
  const receivers = configuredReceivers(settings, env, logger);
  if (receivers.length === 0) {
    throw new ConfigError(`${settings.source}: export: configure at least one receiver (export.syslog, export.http or export.kafka); see gatehouse.example.yaml`);
  }
  const cursorDir = path.resolve(path.dirname(settings.source), section.cursor_dir);
  const reader = await openAuditStoreReader(settings.store, logger);
  const context = { productVersion: GATEHOUSE_VERSION, sourcetype: section.http?.sourcetype, index: section.http?.index };
  const exporters = receivers.map(({ sink, format }) => {
    const cursor = createCursorFile(path.join(cursorDir, `${sink.name}.cursor`));
    return createContinuousExporter({
      read: (sql) => reader.query(sql),
      sink,
      format: recordFormatter(format, context),
      cursor: metrics ? observedCursor(cursor, sink.name, metrics) : cursor,
      logger,
      pageSize: section.page_size,
      settleMs: section.settle_ms,
      pollIntervalMs: section.poll_interval_ms,
    });
  });
  const stop = async () => {
    await Promise.all(exporters.map((exporter) => exporter.stop()));
    await Promise.all(receivers.map(({ sink }) => sink.close()));
    await reader.close();
  };
  try {
    for (const exporter of exporters) await exporter.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { sinks: receivers.map(({ sink }) => sink.name), stop };
}

function configuredReceivers(settings: RuntimeSettings, env: NodeJS.ProcessEnv, logger: Logger): Receiver[] {
  const { syslog, http, kafka } = settings.config.export;
  const receivers: Receiver[] = [];
  if (syslog) {
    receivers.push({ sink: createSyslogSink({ host: syslog.host, port: syslog.port, facility: syslog.facility, productVersion: GATEHOUSE_VERSION, logger }), format: syslog.format });
  }
  if (http) {
    let authorization: string | undefined;
    if (http.token) {
      const token = env[http.token.env];
      if (!token) throw new ConfigError(`${settings.source}: export.http.token: environment variable ${http.token.env} is not set; export it or change the config`);
      authorization = `${http.auth_scheme} ${token}`;
    }
    const contentType = http.format === 'hec' ? 'application/json' : 'application/x-ndjson';
    receivers.push({ sink: createHttpCollectorSink({ url: http.url, authorization, contentType, timeoutMs: http.timeout_ms }), format: http.format });
  }
  if (kafka) {
    if (settings.kafkaBrokers.length === 0) {
      throw new ConfigError(`${settings.source}: export.kafka needs Kafka: set KAFKA_BROKERS=host:port or bus.kafka.brokers`);
    }
    const topic = kafka.topic ?? `${settings.config.bus.kafka.topic_prefix}audit.ocsf`;
    receivers.push({
      sink: createKafkaTopicSink({ brokers: settings.kafkaBrokers, clientId: `${settings.config.bus.kafka.client_id}-audit-export`, topic, partitions: kafka.partitions }),
      format: kafka.format,
    });
  }
  return receivers;
}
