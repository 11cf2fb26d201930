import { randomBytes } from 'node:crypto';

export interface BrokerConfig {
  /** Where the broker keeps its partitions and metadata log. */
  logDir: string;
  /** Client listener on 127.0.0.1. */
  port: number;
  /** KRaft controller listener on 127.0.0.1. */
  controllerPort: number;
  /** Partitions of topics created without an explicit count. */
  defaultPartitions?: number;
}

/**
 * server.properties for one combined broker+controller (KRaft) on loopback, tuned for one
 * machine: replication factors of 1 and no delay before the first consumer group rebalance, so
 * consumers join in milliseconds instead of the default three seconds.
 */
export function renderServerProperties(config: BrokerConfig): string {
  const lines = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${config.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${config.port},CONTROLLER://127.0.0.1:${config.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${config.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${config.logDir}`,
    `num.partitions=${config.defaultPartitions ?? 3}`,
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    // Fewer internal partitions than the production default of 50: created on the first group join.
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    'num.network.threads=2',
    'num.io.threads=4',
  ];
  return `${lines.join('\n')}\n`;
}

/** Reads the client bootstrap address back from a server.properties this module wrote. */
export function brokersFromServerProperties(text: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith('advertised.listeners='));
  if (!line) return [];
  return line
    .slice('advertised.listeners='.length)
    .split(',')
    .map((listener) => listener.replace(/^[A-Z_]+:\/\//, '').trim())
    .filter((address) => address.length > 0);
}

/** log4j 1 (reload4j) settings: everything to stdout, which the launcher sends to the log file. */
export function renderLog4jProperties(): string {
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    '',
  ].join('\n');
}

/**
 * A cluster id as `kafka-storage random-uuid` prints it: 16 random bytes, URL-safe base64
 * without padding. Kafka rejects ids starting with '-' (they read as command-line flags).
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
