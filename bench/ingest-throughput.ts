/**
 * Audit ingest from Kafka into ClickHouse (chDB): sustained events/s, and end-to-end freshness
 * (event produced → queryable) p50/p99 under a steady load, with where the time goes.
 * Run: npm run bench:ingest   (starts its own Kafka broker on 127.0.0.1 and a chDB store in a
 * temporary directory; ends by itself; runs with UV_THREADPOOL_SIZE=16 and ./gatehouse's GLIBC_TUNABLES, as ./gatehouse runs the roles). BENCH_EVENTS, BENCH_PARTITIONS, BENCH_FRESHNESS_SECONDS
 * and BENCH_FRESHNESS_RATE change the load; BENCH_FETCH_PARTITION_MIB, BENCH_FETCH_MIB and
 * BENCH_MAX_ROWS the fetch and insert sizes (default: what the audit-ingest role uses);
 * BENCH_CHECKPOINTS=off signs no checkpoints (the role signs one every 1,000 events of a partition).
 * The machine is often shared: run it several times and read each rate beside the machine speed it
 * prints, which can still miss a slowdown of both cores at once.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { ClickHouseClient } from '@clickhouse/client';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pino from 'pino';
import { startLocalKafka } from '../deploy/kafka/local-kafka.ts';
import { defaultKafkaCacheDir, kafkaVersion } from '../deploy/kafka/kafka-jars.ts';
import { createEvent, createKafkaBus, decodeEvent, encodeEvent, topicNames, type Bus, type Event, type EventContext } from '../events/src/index.ts';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 6);
const FRESHNESS_SECONDS = Number(process.env['BENCH_FRESHNESS_SECONDS'] ?? 10);
/**
 * The sustained rate counts from the moment this share of the backlog is queryable: the consumer
 * has joined, fetched and had inserts acknowledged, so start-up costs are behind it. (Counting from
 * the first insert sent instead credited the window with whatever was fetched before it.)
 */
const STEADY_FROM = 0.1;
/** BENCH_CHECKPOINTS=off leaves checkpoints out, to see what signing them costs. */
const CHECKPOINTS = process.env['BENCH_CHECKPOINTS'] !== 'off';
/** One event in this many is a probe whose freshness is measured. */
const PROBE_EVERY = 50;
/** Time the steady producer takes to build its events before the first is due to be sent. */
const STEADY_BUILD_LEAD_MS = 3000;
const PRODUCE_BATCH = 2_000;
const MIB = 1024 * 1024;
const MAX_ROWS_PER_INSERT = process.env['BENCH_MAX_ROWS'] ? Number(process.env['BENCH_MAX_ROWS']) : undefined;
const logger = pino({ level: 'silent' });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a tool call leaves in the audit topic: received, one verdict with a finding and a redacted payload, completed. */
function callEvents(traceId: string, now: number): Event[] {
  const context: EventContext = {
    trace_id: traceId,
    gateway: 'gw-bench-1',
    principal: { subject: `user-${now % 997}`, email: `user-${now % 997}@example.com`, groups: ['support'] },
    portal: 'main',
    server: 'customers',
    tool: 'get_customer',
  };
  const clock = { now: () => now };
  const correlation_id = randomUUID();
  return [
    createEvent('tool.call.received', context, { correlation_id, arguments_bytes: 18 }, clock),
    createEvent(
      'dlp.verdict',
      context,
      {
        correlation_id: `${correlation_id}:result`,
        direction: 'result',
        decision: 'redact',
        profile: 'default',
        findings: [{ detector: 'payment_card', type: 'pii', path: '$.card', start: 0, end: 19, confidence: 0.99, action: 'redact' }],
        payload_capture: 'redacted',
        payload: { id: 'cus_1001', name: 'Ada Lovelace', card: '[REDACTED:payment_card]', plan: 'enterprise' },
        scan_ms: 0.4,
      },
      clock,
    ),
    createEvent('tool.call.completed', context, { correlation_id, outcome: 'redacted', reason: 'dlp:default', latency_ms: 21 }, clock),
  ];
}

/** `count` events of calls, stamped `time` (default: now). */
function messagesFor(count: number, tracePrefix: string, time = Date.now()) {
  const messages: Array<{ key: string; value: Buffer }> = [];
  for (let call = 0; messages.length < count; call++) {
    const traceId = `${tracePrefix}-${call}`;
    for (const event of callEvents(traceId, time)) messages.push({ key: traceId, value: encodeEvent(event) });
  }
  return messages.slice(0, count);
}

/**
 * Sends the backlog of EVENTS and keeps only a sample of it (for referenceWorkUs): held during the
 * ingest, the whole backlog added about 28 MB to this process's heap, which the collector then
 * marked again and again while the ingest ran beside it.
 */
async function produceBacklog(producer: Producer, topic: string): Promise<{ referenceSample: Buffer[]; bytes: number; produceSeconds: number }> {
  const backlog = messagesFor(EVENTS, 'bulk');
  const referenceSample = backlog.slice(0, 20_000).map((message) => message.value);
  const bytes = backlog.reduce((sum, message) => sum + message.value.length, 0);
  const t0 = performance.now();
  await produce(producer, topic, backlog);
  return { referenceSample, bytes, produceSeconds: (performance.now() - t0) / 1000 };
}

async function produce(producer: Producer, topic: string, messages: Array<{ key: string; value: Buffer }>): Promise<void> {
  for (let i = 0; i < messages.length; i += PRODUCE_BATCH) {
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + PRODUCE_BATCH) });
  }
}

/**
 * CPU time in ms from /proc (Linux counts it in USER_HZ ticks, 100 per second): of the whole
 * machine when `pid` is omitted (every state but idle and iowait), else of one process. NaN where
 * /proc cannot be read. The broker and chDB's threads share the machine's cores with the
 * JavaScript thread, so these say how close a run came to using the machine up.
 */
function cpuMs(pid?: number): number {
  try {
    if (pid === undefined) {
      const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).map(Number);
      const [user, nice, system, , , irq, softirq, steal] = ticks as number[];
      return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
    }
    return statUsage(`/proc/${pid}/stat`).cpuMs;
  } catch {
    return Number.NaN;
  }
}

const TICK_MS = 10;

/** What a /proc/…/stat file counts for a process or thread. */
interface Usage {
  /** utime + stime, ms. */
  cpuMs: number;
  /**
   * Minor page faults: first touches of memory. Each costs about 12 µs of CPU on the virtual
   * machines this runs on, so they show where fresh memory is written (see audit-ingest/README.md).
   */
  faults: number;
}

const NO_USAGE: Usage = { cpuMs: 0, faults: 0 };

/** The 8th (minflt), 12th and 13th (utime, stime) fields after the parenthesized command name. */
function statUsage(file: string): Usage {
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, faults: Number(fields[7]) };
}

/**
 * CPU time and page faults of this process's threads by name, pools summed; empty where there is
 * no /proc. Node names its threads (MainThread, V8Worker for the garbage collector's and
 * compiler's helpers, libuv-worker for the pool that runs chDB's calls; audit-prepare is the
 * thread that decodes, chains and encodes the rows), and so does ClickHouse.
 */
function threadUsage(): Map<string, Usage> {
  const byName = new Map<string, Usage>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim().replace(/[\d:/ -]+$/, '');
      const usage = statUsage(`/proc/self/task/${tid}/stat`);
      const sum = byName.get(name) ?? NO_USAGE;
      byName.set(name, { cpuMs: sum.cpuMs + usage.cpuMs, faults: sum.faults + usage.faults });
    } catch {
      // A thread that ended between listing and reading: left out.
    }
  }
  return byName;
}

/** `of` per event between two readings, by thread, largest first, those that round to more than 0. */
function perThread(before: Map<string, Usage>, after: Map<string, Usage>, events: number, of: (usage: Usage) => number, digits: number): string {
  return [...after]
    .map(([name, usage]) => [name, (of(usage) - of(before.get(name) ?? NO_USAGE)) / events] as const)
    .filter(([, perEvent]) => perEvent >= 10 ** -digits)
    .sort((a, b) => b[1] - a[1])
    .map(([name, perEvent]) => `${name} ${perEvent.toFixed(digits)}`)
    .join(', ');
}

/** The store's client, with every insert timed: where ingest spends its time. */
function timedInserts(connection: ClickHouseClient) {
  /**
   * `busyMs`: wall time with at least one insert in flight; the rest is fetching, decoding and
   * committing. `maxMs`: the slowest insert since it was last set to 0.
   */
  const stats = { inserts: 0, ms: 0, maxMs: 0, busyMs: 0, queries: 0, queryMs: 0 };
  let active = 0;
  let busySince = 0;
  const exec = connection.exec.bind(connection);
  const query = connection.query.bind(connection);
  // Audit rows go as the body of an INSERT statement (insert-audit-rows.ts).
  connection.exec = (async (params: Parameters<typeof exec>[0]) => {
    if (!params.query.startsWith('INSERT INTO audit_events')) return exec(params);
    const t0 = performance.now();
    if (active++ === 0) busySince = t0;
    try {
      return await exec(params);
    } finally {
      const t1 = performance.now();
      if (--active === 0) stats.busyMs += t1 - busySince;
      stats.inserts += 1;
      stats.ms += t1 - t0;
      stats.maxMs = Math.max(stats.maxMs, t1 - t0);
    }
  }) as typeof connection.exec;
  connection.query = (async (params: Parameters<typeof query>[0]) => {
    const t0 = performance.now();
    try {
      return await query(params);
    } finally {
      if (params.query.includes('kafka_offset >= {first:UInt64}')) {
        stats.queries += 1;
        stats.queryMs += performance.now() - t0;
      }
    }
  }) as typeof connection.query;
  return stats;
}

async function count(connection: ClickHouseClient): Promise<number> {
  const result = await connection.query({ query: 'SELECT count() AS n FROM audit_events', format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
}

/**
 * Wall time with at least one batch handler running; the rest the consumer spends fetching.
 * `stored`: the events of the batches handled, which audit-ingest finishes handling once their
 * inserts are acknowledged, when they become queryable. Counted here rather than polled with
 * queries, each of which would cost chDB about 2 ms of CPU taken from the ingest.
 */
function timedHandlers(bus: Bus) {
  /** `maxMs`: the batch handled slowest since it was last set to 0. */
  const stats = { batches: 0, events: 0, stored: 0, busyMs: 0, handlerMs: 0, maxMs: 0 };
  let active = 0;
  let busySince = 0;
  const subscribeRecords = bus.subscribeRecords.bind(bus);
  bus.subscribeRecords = (options, handler) =>
    subscribeRecords(options, async (batch) => {
      const t0 = performance.now();
      if (active++ === 0) busySince = t0;
      try {
        const result = await handler(batch);
        stats.stored += batch.length - result.rejected.length;
        return result;
      } finally {
        if (--active === 0) stats.busyMs += performance.now() - busySince;
        stats.handlerMs += performance.now() - t0;
        stats.maxMs = Math.max(stats.maxMs, performance.now() - t0);
        stats.batches += 1;
        stats.events += batch.length;
      }
    });
  return stats;
}

/**
 * Microseconds per event of fixed work on one thread: decoding, validating and writing the
 * canonical body JSON of each sampled event, the best of three rounds. Run just before and just
 * after the ingest, it tells how fast the machine was then: shared cores here vary by half or more
 * from one minute to the next, and the rates above only compare between runs where this agrees.
 * One thread outside the ingest, it can miss a slowdown of both cores during it, so a usual
 * reading beside a low rate does not clear the machine.
 */
function referenceWorkUs(sample: readonly Buffer[], canonicalJson: (value: unknown) => string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (const value of sample) canonicalJson(decodeEvent(value).body);
    best = Math.min(best, ((performance.now() - t0) * 1000) / sample.length);
  }
  return best;
}

async function main() {
  // Loaded here rather than at the top: the steady producer thread runs this file too, and the
  // chDB engine must be loaded by one thread of a process only (a second one crashes it).
  const { AUDIT_INGEST_FETCH, canonicalJson, createAuditIngest, createClickHouseConnection, migrate, signerFromKeyFile } = await import('../audit-ingest/src/index.ts');
  /** Fetch sizes and insert size as the audit-ingest role uses them; the env variables try others. */
  const FETCH_PARTITION_BYTES = Number(process.env['BENCH_FETCH_PARTITION_MIB'] ?? AUDIT_INGEST_FETCH.maxBytesPerPartition / MIB) * MIB;
  const FETCH_BYTES = Number(process.env['BENCH_FETCH_MIB'] ?? AUDIT_INGEST_FETCH.maxBytes / MIB) * MIB;
  const work = await mkdtemp(path.join(tmpdir(), 'gatehouse-bench-ingest-'));
  const kafka = await startLocalKafka({ dataDir: path.join(work, 'kafka'), cacheDir: defaultKafkaCacheDir(process.env, await kafkaVersion()), ownerPid: process.pid });
  const connection = createClickHouseConnection({ kind: 'chdb', path: path.join(work, 'chdb') });
  const client = new Kafka({ clientId: 'bench-producer', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  const topics = topicNames(`bench-${Date.now()}.`);
  const bus = createKafkaBus({
    brokers: kafka.brokers,
    clientId: 'bench-ingest',
    logger,
    partitionsFor: () => PARTITIONS,
    partitionsConsumedConcurrently: PARTITIONS,
    maxBytesPerPartition: FETCH_PARTITION_BYTES,
    maxBytes: FETCH_BYTES,
  });
  const handlerStats = timedHandlers(bus);
  try {
    await migrate(connection, logger);
    await bus.ensureTopics([topics.audit]);
    await producer.connect();

    // 1. Sustained throughput: a backlog of EVENTS in the topic, then ingest from cold.
    const { referenceSample, bytes, produceSeconds } = await produceBacklog(producer, topics.audit);

    const stats = timedInserts(connection);
    // Signed checkpoints as the audit-ingest role writes them by default (every 1,000 events of a partition).
    const checkpoints = CHECKPOINTS ? { signer: signerFromKeyFile(path.join(work, 'audit-signing-key.pem'), true), directory: path.join(work, 'checkpoints') } : undefined;
    const ingest = createAuditIngest({ bus, topics, connection, logger, group: `bench-${randomUUID()}`, maxRowsPerInsert: MAX_ROWS_PER_INSERT, checkpoints });
    const referenceBefore = referenceWorkUs(referenceSample, canonicalJson);
    const loopBefore = performance.eventLoopUtilization();
    const cpuBefore = process.cpuUsage();
    const machineBefore = cpuMs();
    const brokerBefore = cpuMs(kafka.pid);
    const threadsBefore = threadUsage();
    const t0 = performance.now();
    await ingest.start();
    const joinSeconds = (performance.now() - t0) / 1000;
    let steadyMark: { at: number; stored: number; machineMs: number } | undefined;
    while (handlerStats.stored < EVENTS) {
      await sleep(5);
      const stored = handlerStats.stored;
      if (steadyMark === undefined && stored >= EVENTS * STEADY_FROM && stored < EVENTS) steadyMark = { at: performance.now(), stored, machineMs: cpuMs() };
    }
    const tEnd = performance.now();
    const loop = performance.eventLoopUtilization(loopBefore);
    const cpu = process.cpuUsage(cpuBefore);
    const machineNow = cpuMs();
    const machineMs = machineNow - machineBefore;
    const brokerMs = cpuMs(kafka.pid) - brokerBefore;
    const threadsAfter = threadUsage();
    const referenceAfter = referenceWorkUs(referenceSample, canonicalJson);
    const queryable = await count(connection);
    if (queryable !== EVENTS) throw new Error(`${queryable} events are queryable after ${EVENTS} were acknowledged: the ingest lost or duplicated some`);
    const coldSeconds = (tEnd - t0) / 1000;
    // The events stored after the steady mark, over the time they took.
    const steadyEvents = EVENTS - (steadyMark?.stored ?? 0);
    const ingestSeconds = (tEnd - (steadyMark?.at ?? t0)) / 1000;
    const throughput = steadyEvents / ingestSeconds;
    const sustainedMachineMs = machineNow - (steadyMark?.machineMs ?? machineBefore);
    const bulkStats = { ...stats };
    const bulkHandlers = { ...handlerStats };
    stats.maxMs = 0;
    handlerStats.maxMs = 0;

    // 2. Freshness under a steady load: probes are polled until queryable.
    const rate = Number(process.env['BENCH_FRESHNESS_RATE'] ?? Math.min(20_000, Math.round(throughput / 2)));
    const freshness: number[] = [];
    /** Per probe trace id pending: when it was sent, and the time its events carry. */
    const pending = new Map<string, { producedAt: number; time: number }>();
    let producing = true;
    const polls = { count: 0, ms: 0 };
    const poller = (async () => {
      while (producing || pending.size > 0) {
        await sleep(25);
        if (pending.size === 0) continue;
        const polledAt = performance.now();
        // Bounded by time, as a query for recent events is: from the oldest pending probe's events
        // on, so a poll reads the last moments of the load rather than all of it. (Polls bounded
        // by the start of the load read more of it each time, and took most of a core.)
        let since = Number.POSITIVE_INFINITY;
        for (const probe of pending.values()) since = Math.min(since, probe.time);
        const result = await connection.query({
          query: `SELECT DISTINCT trace_id FROM audit_events
                  WHERE time >= fromUnixTimestamp64Milli({since:Int64}, 'UTC') AND trace_id IN {ids:Array(String)}`,
          query_params: { since, ids: [...pending.keys()] },
          format: 'JSONEachRow',
        });
        const seenAt = Date.now();
        polls.count += 1;
        polls.ms += performance.now() - polledAt;
        for (const { trace_id } of await result.json<{ trace_id: string }>()) {
          freshness.push(seenAt - pending.get(trace_id)!.producedAt);
          pending.delete(trace_id);
        }
      }
    })();
    // The steady producer runs on its own thread, so that making and sending events neither
    // delays the ingest's event loop nor is delayed by it.
    const load: SteadyLoad = { brokers: kafka.brokers, topic: topics.audit, rate, seconds: FRESHNESS_SECONDS };
    const steady = new Worker(new URL(import.meta.url), { workerData: load });
    let produced: SteadyLoadDone = { events: 0, seconds: 0 };
    steady.on('message', (message: SteadyLoadMessage) => {
      if ('probes' in message) for (const probe of message.probes) pending.set(probe, { producedAt: message.producedAt, time: message.time });
      else produced = message;
    });
    const [exitCode] = (await once(steady, 'exit')) as [number];
    if (exitCode !== 0) throw new Error(`the steady producer thread exited with code ${exitCode}`);
    producing = false;
    await poller;
    await ingest.stop();
    freshness.sort((a, b) => a - b);

    const row = (label: string, value: string) => console.log(`${label.padEnd(44)}${value}`);
    console.log(`audit ingest: Kafka (1 broker, ${PARTITIONS} partitions) → audit-ingest (kafkajs bus) → chDB, one process, ${EVENTS} events of ${Math.round(bytes / EVENTS)} bytes, ${CHECKPOINTS ? 'signed checkpoints' : 'no checkpoints'}`);
    row('produce backlog (kafkajs, acks=all)', `${(EVENTS / produceSeconds).toFixed(0)} events/s`);
    row('fetch size per partition / in all', `${FETCH_PARTITION_BYTES / MIB} MiB / ${FETCH_BYTES / MIB} MiB`);
    row('ingest from cold (start → all queryable)', `${(EVENTS / coldSeconds).toFixed(0)} events/s  (${coldSeconds.toFixed(2)} s; joining the group ${joinSeconds.toFixed(2)} s)`);
    row(`ingest sustained (${STEADY_FROM * 100} % → all queryable)`, `${throughput.toFixed(0)} events/s  (${steadyEvents} events in ${ingestSeconds.toFixed(2)} s)`);
    row('  batches handed to audit-ingest', `${bulkHandlers.batches}, mean ${(bulkHandlers.events / Math.max(1, bulkHandlers.batches)).toFixed(0)} events`);
    row('  wall time with a batch being handled', `${(bulkHandlers.busyMs / 1000).toFixed(2)} s (the rest: the Kafka client fetching)`);
    row('  inserts', `${bulkStats.inserts}, mean ${(bulkHandlers.stored / Math.max(1, bulkStats.inserts)).toFixed(0)} rows, mean ${(bulkStats.ms / Math.max(1, bulkStats.inserts)).toFixed(0)} ms each`);
    row('  wall time with an insert in flight', `${(bulkStats.busyMs / 1000).toFixed(2)} s (${((bulkStats.busyMs / 1000 / coldSeconds) * 100).toFixed(0)} % of the run)`);
    row('  dedup lookups (queries)', `${bulkStats.queries}, ${(bulkStats.queryMs / 1000).toFixed(2)} s`);
    row('  CPU of this process per event (all threads)', `${((cpu.user + cpu.system) / EVENTS).toFixed(1)} µs, ${((cpu.user + cpu.system) / 1e6 / coldSeconds).toFixed(2)} cores (the broker is another process)`);
    row('    by thread (µs per event)', perThread(threadsBefore, threadsAfter, EVENTS, (usage) => usage.cpuMs * 1000, 1));
    row('    page faults per event, by thread', perThread(threadsBefore, threadsAfter, EVENTS, (usage) => usage.faults, 2));
    row('  CPU of the Kafka broker per event', `${((brokerMs * 1000) / EVENTS).toFixed(1)} µs, ${(brokerMs / 1000 / coldSeconds).toFixed(2)} cores`);
    row('  CPU of the whole machine per event', `${((machineMs * 1000) / EVENTS).toFixed(1)} µs, ${(machineMs / 1000 / coldSeconds).toFixed(2)} of ${availableParallelism()} cores busy`);
    row(`    from ${STEADY_FROM * 100} % stored on`, `${((sustainedMachineMs * 1000) / steadyEvents).toFixed(1)} µs, ${(sustainedMachineMs / 1000 / ingestSeconds).toFixed(2)} of ${availableParallelism()} cores busy`);
    row('  main JavaScript thread busy', `${((loop.active * 1000) / EVENTS).toFixed(1)} µs per event, ${(loop.utilization * 100).toFixed(0)} % of the run`);
    row('  machine speed: reference work', `${referenceBefore.toFixed(2)} µs per event before the ingest, ${referenceAfter.toFixed(2)} after (one thread: decode, validate, canonical body JSON)`);
    row(`freshness at ${rate} events/s for ${FRESHNESS_SECONDS} s`, `p50 ${percentile(freshness, 50)} ms, p90 ${percentile(freshness, 90)} ms, p99 ${percentile(freshness, 99)} ms, max ${freshness.at(-1)} ms (${freshness.length} probes)`);
    const steadyInserts = stats.inserts - bulkStats.inserts;
    row('  inserts meanwhile', `${steadyInserts}, mean ${((handlerStats.stored - bulkHandlers.stored) / Math.max(1, steadyInserts)).toFixed(0)} rows, mean ${((stats.ms - bulkStats.ms) / Math.max(1, steadyInserts)).toFixed(0)} ms each, slowest ${stats.maxMs.toFixed(0)} ms`);
    const steadyBatches = handlerStats.batches - bulkHandlers.batches;
    row('  batches meanwhile', `${steadyBatches}, mean ${((handlerStats.events - bulkHandlers.events) / Math.max(1, steadyBatches)).toFixed(0)} events, handled in ${((handlerStats.handlerMs - bulkHandlers.handlerMs) / Math.max(1, steadyBatches)).toFixed(0)} ms (slowest ${handlerStats.maxMs.toFixed(0)} ms); ${((handlerStats.busyMs - bulkHandlers.busyMs) / 1000).toFixed(2)} s with one being handled`);
    row('  freshness polls meanwhile', `${polls.count}, mean ${(polls.ms / Math.max(1, polls.count)).toFixed(0)} ms each`);
    row('  produced meanwhile (producer thread)', `${(produced.events / Math.max(produced.seconds, 1e-9)).toFixed(0)} events/s`);
    row('goal', '≥ 50000 events/s, freshness p99 ≤ 2000 ms');
  } finally {
    await bus.close();
    await producer.disconnect().catch(() => undefined);
    await connection.close();
    await kafka.stop();
    await rm(work, { recursive: true, force: true });
  }
}

interface SteadyLoad {
  brokers: string[];
  topic: string;
  rate: number;
  seconds: number;
}
interface SteadyLoadDone {
  events: number;
  seconds: number;
}
type SteadyLoadMessage = { probes: string[]; producedAt: number; time: number } | SteadyLoadDone;

/** Produces `rate` events a second in ticks of 100 ms, posting each tick's probe trace ids with the time they were sent. */
async function produceSteadily({ brokers, topic, rate, seconds }: SteadyLoad): Promise<void> {
  const producer = new Kafka({ clientId: 'bench-steady-producer', brokers, logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const tickMs = 100;
  const perTick = Math.max(3, Math.round((rate * tickMs) / 1000));
  // Built before the clock starts: on two cores, building events while sending them held the
  // producer below the rate it was asked for. What remains is what a gateway does, sending. Each
  // tick's events carry the time the tick is due, as a gateway's events carry when they happened;
  // sending starts when the first is due, or once all are built if that takes longer.
  const firstDue = Date.now() + STEADY_BUILD_LEAD_MS;
  const dueOf = (tick: number) => firstDue + tick * tickMs;
  const ticks = Array.from({ length: Math.ceil((seconds * 1000) / tickMs) }, (_, tick) => messagesFor(perTick, `fresh-${tick}`, dueOf(tick)));
  await sleep(Math.max(0, firstDue - Date.now()));
  const start = performance.now();
  let events = 0;
  for (const [tick, messages] of ticks.entries()) {
    const due = start + tick * tickMs;
    if (performance.now() < due) await sleep(due - performance.now());
    const probes = messages.filter((_, index) => index % (PROBE_EVERY * 3) === 0).map((message) => message.key);
    // Timed from before the send: freshness includes the producer's acks=all round trip.
    parentPort!.postMessage({ probes, producedAt: Date.now(), time: dueOf(tick) } satisfies SteadyLoadMessage);
    await producer.send({ topic, acks: -1, messages });
    events += messages.length;
  }
  parentPort!.postMessage({ events, seconds: (performance.now() - start) / 1000 } satisfies SteadyLoadMessage);
  await producer.disconnect();
}

if (isMainThread) await main();
else await produceSteadily(workerData as SteadyLoad);
