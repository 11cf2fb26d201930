import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultKafkaCacheDir, kafkaVersion } from '../../../deploy/kafka/kafka-jars.ts';
import { LocalKafkaError } from '../../../deploy/kafka/local-kafka-error.ts';
import { localKafkaStatus, startLocalKafka, stopLocalKafka } from '../../../deploy/kafka/local-kafka.ts';
import type { Command, CommandIO } from '../command.ts';

const help = `Usage: gatehouse kafka <start|stop|status> [options]

Runs one local Apache Kafka broker (KRaft, broker and controller in one JVM) on 127.0.0.1 for
development and the distributed mode. Needs Java 17+ and Maven; the first start downloads the
broker jars once into ~/.cache/gatehouse/kafka-<version> ($XDG_CACHE_HOME is honoured).

  start    start the broker in the background and print KAFKA_BROKERS=<address>
           (e.g. eval "$(gatehouse kafka start)"); does nothing if it already runs
  stop     stop the broker (clean shutdown, forced after 20 s)
  status   print whether the broker runs; exit code 0 if it does, 1 if not

Options:
  --data-dir <dir>   broker config, data, log (kafka.log) and pid file (default: ./data/kafka)
  --port <port>      client port on 127.0.0.1 (default: 9092)
  --cache-dir <dir>  where the broker jars are cached (default: see above, or $GATEHOUSE_KAFKA_CACHE_DIR)
  --help             show this help
`;

const ACTIONS = ['start', 'stop', 'status'] as const;
type Action = (typeof ACTIONS)[number];

interface KafkaArgs {
  action: Action;
  dataDir: string;
  port: number;
  cacheDir: string | undefined;
}

export const kafkaCommand: Command = {
  name: 'kafka',
  summary: 'start, stop or check a local Kafka broker on 127.0.0.1',
  help,
  async run(args: string[], io: CommandIO): Promise<number> {
    let parsed: KafkaArgs | 'help';
    try {
      parsed = parseKafkaArgs(args, io.cwd);
    } catch (error) {
      io.stderr.write(`gatehouse kafka: ${error instanceof Error ? error.message : String(error)}\nRun \`gatehouse kafka --help\` for usage.\n`);
      return 2;
    }
    if (parsed === 'help') {
      io.stdout.write(help);
      return 0;
    }
    try {
      return await ACTION_RUNNERS[parsed.action](parsed, io);
    } catch (error) {
      const message = error instanceof LocalKafkaError ? `${error.code}: ${error.message}` : String(error);
      io.stderr.write(`gatehouse kafka ${parsed.action}: ${message}\n`);
      return 1;
    }
  },
};

const ACTION_RUNNERS: Record<Action, (args: KafkaArgs, io: CommandIO) => Promise<number>> = {
  async start({ dataDir, port, cacheDir }, io) {
    const status = localKafkaStatus(dataDir);
    if (status.running) {
      io.stderr.write(`Kafka already runs from ${dataDir} (pid ${status.pid}).\n`);
      io.stdout.write(`KAFKA_BROKERS=${status.brokers?.join(',') ?? ''}\n`);
      return 0;
    }
    io.stderr.write(`Starting Kafka on 127.0.0.1:${port} (data in ${dataDir})...\n`);
    const started = Date.now();
    const kafka = await startLocalKafka({
      dataDir,
      port,
      cacheDir: cacheDir ?? defaultKafkaCacheDir(io.env, await kafkaVersion()),
    });
    io.stderr.write(`Kafka is ready after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${kafka.pid}, log in ${join(dataDir, 'kafka.log')}).\n`);
    io.stdout.write(`KAFKA_BROKERS=${kafka.brokers.join(',')}\n`);
    return 0;
  },

  async stop({ dataDir }, io) {
    const stopped = await stopLocalKafka(dataDir);
    io.stdout.write(stopped ? `Kafka from ${dataDir} stopped.\n` : `Kafka from ${dataDir} was not running.\n`);
    return 0;
  },

  async status({ dataDir }, io) {
    const status = localKafkaStatus(dataDir);
    if (!status.running) {
      io.stdout.write(`Kafka from ${dataDir} is not running.\n`);
      return 1;
    }
    io.stdout.write(`Kafka from ${dataDir} is running (pid ${status.pid}).\nKAFKA_BROKERS=${status.brokers?.join(',') ?? ''}\n`);
    return 0;
  },
};

function parseKafkaArgs(args: string[], cwd: string): KafkaArgs | 'help' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'cache-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const [action, ...extra] = positionals;
  if (!action) throw new Error('missing action: start, stop or status');
  if (!isAction(action)) throw new Error(`unknown action "${action}": use start, stop or status`);
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"`);
  const port = Number(values.port ?? '9092');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port must be a whole number from 1 to 65535, got "${values.port}"`);
  }
  return {
    action,
    port,
    dataDir: resolve(cwd, values['data-dir'] ?? join('data', 'kafka')),
    cacheDir: values['cache-dir'] === undefined ? undefined : resolve(cwd, values['cache-dir']),
  };
}

function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
