// A real audit-ingest process for the crash tests: Kafka in, chDB out, killed with SIGKILL at a
// chosen point of its work. Settings come from the environment the test gives it.
import pino from 'pino';
import { createKafkaBus, topicNames } from '../../../events/src/index.ts';
import { createAuditIngest, createClickHouseConnection, signerFromKeyFile, type AuditInsert } from '../../src/index.ts';

const env = process.env;
const killAt = env['KILL_AT'] ?? '';
/** How many inserts ClickHouse has acknowledged when the process is killed. */
const killAfterAcknowledged = Number(env['KILL_AFTER_ACKNOWLEDGED'] ?? '0');
const logger = pino({ level: 'warn' }, pino.destination(2));
const connection = createClickHouseConnection({ kind: 'chdb', path: env['CHDB_PATH']! });
const bus = createKafkaBus({ brokers: env['KAFKA_BROKERS']!.split(','), clientId: 'ingest-child', logger, sessionTimeoutMs: 6_000 });
let acknowledged = 0;

const report = (what: string, insert: AuditInsert) => process.stdout.write(`${JSON.stringify({ what, acknowledged, ...insert })}\n`);
const ingest = createAuditIngest({
  bus,
  topics: topicNames(env['TOPIC_PREFIX']),
  connection,
  logger,
  group: env['GROUP'],
  maxRowsPerInsert: Number(env['MAX_ROWS_PER_INSERT'] ?? '5000'),
  checkpoints: { signer: signerFromKeyFile(env['SIGNING_KEY']!, true), everyEvents: 10, intervalMs: 60_000 },
  hooks: {
    beforeInsert(insert) {
      report('inserting', insert);
      // The insert is sent, and the process dies while ClickHouse works on it.
      if (killAt === 'during-insert' && acknowledged >= killAfterAcknowledged) setImmediate(() => process.kill(process.pid, 'SIGKILL'));
    },
    afterInsert(insert) {
      acknowledged += 1;
      report('inserted', insert);
      // Stored and acknowledged; the offsets are not committed yet.
      if (killAt === 'after-insert' && acknowledged === killAfterAcknowledged) process.kill(process.pid, 'SIGKILL');
    },
  },
});

await ingest.start();
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await ingest.stop();
  await bus.close();
  await connection.close();
  process.exit(0);
});
