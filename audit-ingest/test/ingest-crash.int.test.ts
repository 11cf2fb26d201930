import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaBus, topicNames, type Event } from '../../events/src/index.ts';
import { kafkaBrokers, uniqueKafkaName } from '../../test/support/kafka.ts';
import { createClickHouseConnection, verifierFromPem, verifyAuditTrail } from '../src/index.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { queryRows } from './support/temp-store.ts';

const CHILD = new URL('./support/ingest-child.ts', import.meta.url).pathname;
const REPO_ROOT = new URL('../../', import.meta.url).pathname;

interface Run {
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stop(): Promise<void>;
}

// A real ingester process is killed at the worst moments; after a restart every event is stored
// exactly once and the hash chains verify.
describe('audit ingest survives being killed', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function startIngester(env: Record<string, string>): Run {
    const child = spawn(process.execPath, [CHILD], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text));
    const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    return {
      exit,
      stdout: () => `${out}\n--- stderr ---\n${err.slice(-3000)}`,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exit;
      },
    };
  }

  async function scenario(killAt: 'during-insert' | 'after-insert', killAfterAcknowledged: number, maxRowsPerInsert: number) {
    const prefix = `${uniqueKafkaName(`audit-crash-${killAt}`)}.`;
    const topics = topicNames(prefix);
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
    dirs.push(dir);
    const env = {
      KAFKA_BROKERS: kafkaBrokers().join(','),
      TOPIC_PREFIX: prefix,
      GROUP: `${prefix}ingest`,
      CHDB_PATH: join(dir, 'chdb'),
      SIGNING_KEY: join(dir, 'signing-key.pem'),
      MAX_ROWS_PER_INSERT: String(maxRowsPerInsert),
    };
    const bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'crash-test', logger: pino({ level: 'silent' }), partitionsFor: () => 3 });
    const events: Event[] = Array.from({ length: 20 }, () => toolCallEvents(uniqueContext())).flat();
    try {
      await bus.ensureTopics([topics.audit]);
      await Promise.all(events.map((event) => bus.publish(topics.audit, event)));
    } finally {
      await bus.close();
    }

    const killed = startIngester({ ...env, KILL_AT: killAt, KILL_AFTER_ACKNOWLEDGED: String(killAfterAcknowledged) });
    const death = await killed.exit;
    expect(death.signal, killed.stdout()).toBe('SIGKILL');
    const storedBeforeRestart = await countStored(env.CHDB_PATH, topics.audit);
    const committedBeforeRestart = await countCommitted(prefix, topics.audit, `${prefix}ingest`);

    const restarted = startIngester(env);
    try {
      await waitForCommitted(prefix, topics.audit, `${prefix}ingest`, events.length);
    } finally {
      await restarted.stop();
    }

    const connection = createClickHouseConnection({ kind: 'chdb', path: env.CHDB_PATH });
    try {
      const rows = await queryRows<{ event_id: string; n: string }>(
        connection,
        'SELECT toString(event_id) AS event_id, count() AS n FROM audit_events WHERE kafka_topic = {topic:String} GROUP BY event_id',
        { topic: topics.audit },
      );
      expect(rows.filter((row) => Number(row.n) !== 1), 'events stored more than once').toEqual([]);
      expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(events.map((event) => event.id)));
      const report = await verifyAuditTrail({ connection, verifier: verifierFromPem(readFileSync(env.SIGNING_KEY, 'utf8'), 'the test key') });
      expect(report.problems).toEqual([]);
      expect(report.chains.reduce((sum, chain) => sum + chain.rows, 0)).toBe(events.length);
    } finally {
      await connection.close();
    }
    return { storedBeforeRestart, committedBeforeRestart, total: events.length, killedOutput: killed.stdout() };
  }

  it('killed while a batch is half stored (some inserts acknowledged, one in flight)', async () => {
    const { storedBeforeRestart, total, killedOutput } = await scenario('during-insert', 2, 4);

    // Two inserts of at most four rows were acknowledged; the one in flight may or may not have landed.
    expect(storedBeforeRestart, killedOutput).toBeGreaterThanOrEqual(8);
    expect(storedBeforeRestart).toBeLessThan(total);
  });

  it('killed after ClickHouse acknowledged a batch and before its offsets were committed', async () => {
    const { storedBeforeRestart, committedBeforeRestart, killedOutput } = await scenario('after-insert', 1, 5_000);

    expect(storedBeforeRestart, killedOutput).toBeGreaterThan(0);
    expect(committedBeforeRestart, killedOutput).toBeLessThan(storedBeforeRestart);
  });
});

async function countStored(path: string, topic: string): Promise<number> {
  const connection = createClickHouseConnection({ kind: 'chdb', path });
  try {
    const [row] = await queryRows<{ n: string }>(connection, 'SELECT count() AS n FROM audit_events WHERE kafka_topic = {topic:String}', { topic });
    return Number(row?.n ?? 0);
  } finally {
    await connection.close();
  }
}

/** Events of `topic` below the offsets the group has committed. */
async function countCommitted(clientPrefix: string, topic: string, group: string): Promise<number> {
  const admin = new Kafka({ clientId: `${clientPrefix}admin`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return (committed?.partitions ?? []).reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the group has committed every partition to its end: everything published is stored and acknowledged. */
async function waitForCommitted(clientPrefix: string, topic: string, group: string, expected: number, timeoutMs = 90_000): Promise<void> {
  const admin = new Kafka({ clientId: `${clientPrefix}admin`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const total = ends.reduce((sum, end) => sum + Number(end.high), 0);
      const done = ends.every((end) => committed?.partitions.find((p) => p.partition === end.partition)?.offset === end.high);
      if (done && total === expected) return;
      if (Date.now() > deadline) throw new Error(`group ${group} did not commit all ${expected} events within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}
