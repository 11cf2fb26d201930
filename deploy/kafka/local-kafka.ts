import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { brokersFromServerProperties, randomClusterId, renderLog4jProperties, renderServerProperties } from './broker-config.ts';
import { resolveKafkaJars } from './kafka-jars.ts';
import { LocalKafkaError } from './local-kafka-error.ts';
import { assertPortFree, freePort } from './ports.ts';
import { isAlive, signalGroup, waitForExit, watchOwner } from './process-group.ts';

export interface StartLocalKafkaOptions {
  /** Holds the broker's config, data, log file and pid file; reused data survives restarts. */
  dataDir: string;
  /** Where the broker jars are cached (see defaultKafkaCacheDir). */
  cacheDir: string;
  /** Client port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Controller port on 127.0.0.1; a free one when omitted. */
  controllerPort?: number;
  /**
   * Stop the broker when this process exits, however it exits (a test run killed by a timeout
   * must not leave a JVM behind). Without it the broker outlives its starter, as `gatehouse kafka
   * start` wants.
   */
  ownerPid?: number;
  /** Give up waiting for the broker after this long. Default 90 s (the first start also downloads jars first). */
  startTimeoutMs?: number;
  logger?: Logger;
}

export interface LocalKafka {
  /** Bootstrap addresses, e.g. ['127.0.0.1:9092']. */
  brokers: string[];
  /** The JVM's pid, which is also its process group id. */
  pid: number;
  stop(): Promise<void>;
}

export interface LocalKafkaStatus {
  running: boolean;
  pid?: number;
  brokers?: string[];
}

const paths = (dataDir: string) => ({
  serverProperties: join(dataDir, 'server.properties'),
  log4jProperties: join(dataDir, 'log4j.properties'),
  logDir: join(dataDir, 'kraft'),
  logFile: join(dataDir, 'kafka.log'),
  pidFile: join(dataDir, 'kafka.pid'),
});

/**
 * Starts one Kafka broker+controller JVM on 127.0.0.1 in the background, in its own process
 * group so it outlives the caller, and resolves once it answers metadata requests.
 */
export async function startLocalKafka(options: StartLocalKafkaOptions): Promise<LocalKafka> {
  const dataDir = resolve(options.dataDir);
  const files = paths(dataDir);
  const current = localKafkaStatus(dataDir);
  if (current.running) {
    throw new LocalKafkaError(
      'GH_ERR_KAFKA_ALREADY_RUNNING',
      `a Kafka broker from ${dataDir} is already running (pid ${current.pid}, ${current.brokers?.join(',')}); use it, or stop it first with \`gatehouse kafka stop --data-dir ${dataDir}\``,
    );
  }
  await mkdir(files.logDir, { recursive: true });
  await checkJava();
  const libs = await resolveKafkaJars({ cacheDir: options.cacheDir, logger: options.logger });
  const classpath = join(libs, '*');
  const started = Date.now();

  // A free port picked here can be taken before the JVM binds it; then pick again.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const controllerPort = options.controllerPort ?? (await freePort(port));
    if (options.port !== undefined) await assertPortFree(options.port, '--port');
    await writeFile(files.serverProperties, renderServerProperties({ logDir: files.logDir, port, controllerPort }));
    await writeFile(files.log4jProperties, renderLog4jProperties());
    if (!existsSync(join(files.logDir, 'meta.properties'))) await formatStorage(classpath, files.serverProperties);

    const brokers = [`127.0.0.1:${port}`];
    const pid = launch(classpath, files);
    await writeFile(files.pidFile, `${pid}\n`);
    if (options.ownerPid !== undefined) watchOwner(options.ownerPid, pid);
    try {
      await waitUntilReady(brokers, pid, options.startTimeoutMs ?? 90_000, files.logFile);
    } catch (error) {
      await stopLocalKafka(dataDir);
      const portTaken = error instanceof LocalKafkaError && /Address already in use/.test(error.message);
      if (portTaken && options.port === undefined && options.controllerPort === undefined && attempt < 3) continue;
      throw error;
    }
    options.logger?.info({ brokers, pid, ms: Date.now() - started }, 'local Kafka broker is ready');
    return {
      brokers,
      pid,
      async stop() {
        await stopLocalKafka(dataDir);
      },
    };
  }
}

/** Whether the broker of `dataDir` runs, judged by its pid file and the live process. */
export function localKafkaStatus(dataDir: string): LocalKafkaStatus {
  const files = paths(resolve(dataDir));
  const pid = readPid(files.pidFile);
  if (pid === undefined || !isOurBroker(pid, files.serverProperties)) return { running: false };
  const brokers = existsSync(files.serverProperties)
    ? brokersFromServerProperties(readFileSync(files.serverProperties, 'utf8'))
    : [];
  return { running: true, pid, brokers };
}

/**
 * Stops the broker of `dataDir`: SIGTERM to its process group (a clean shutdown), SIGKILL if it
 * is still alive after `graceMs`. Resolves false when nothing was running.
 */
export async function stopLocalKafka(dataDir: string, graceMs = 20_000): Promise<boolean> {
  const files = paths(resolve(dataDir));
  const status = localKafkaStatus(dataDir);
  if (!status.running || status.pid === undefined) {
    await rm(files.pidFile, { force: true });
    return false;
  }
  const pid = status.pid;
  signalGroup(pid, 'SIGTERM');
  if (!(await waitForExit(pid, graceMs))) {
    signalGroup(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  await rm(files.pidFile, { force: true });
  return true;
}

function launch(classpath: string, files: ReturnType<typeof paths>): number {
  const out = openSync(files.logFile, 'a');
  try {
    const child = spawn(
      'java',
      [
        // The whole heap from the start, as Kafka's own start script sets it: growing from a small
        // one, G1 ran concurrent marking cycles after each burst of produced records, which cost
        // the broker about a sixth more CPU per record fetched and slowed producing.
        '-Xms512m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        // C1 only: this broker shares a small machine with the pipeline, and the optimizing (C2)
        // compiler's threads cost more CPU than its code saved. Fetching the audit backlog, the
        // broker spent 1.8–3.9 µs of CPU per record instead of 3.2–4.9, and mostly took produced
        // records faster (bench:ingest, alternating runs; audit-ingest/README.md).
        '-XX:TieredStopAtLevel=1',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${files.log4jProperties}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        files.serverProperties,
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    child.unref();
    if (child.pid === undefined) {
      throw new LocalKafkaError('GH_ERR_KAFKA_EXITED', `could not start java for the Kafka broker; see ${files.logFile}`);
    }
    return child.pid;
  } finally {
    closeSync(out);
  }
}

async function waitUntilReady(brokers: string[], pid: number, timeoutMs: number, logFile: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'gatehouse-local-kafka-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new LocalKafkaError('GH_ERR_KAFKA_EXITED', `the Kafka broker exited while starting. Last lines of ${logFile}:\n${await tail(logFile)}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch {
      await sleep(200);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  throw new LocalKafkaError(
    'GH_ERR_KAFKA_START_TIMEOUT',
    `the Kafka broker did not accept connections on ${brokers.join(',')} within ${timeoutMs} ms. Last lines of ${logFile}:\n${await tail(logFile)}`,
  );
}

async function formatStorage(classpath: string, serverProperties: string): Promise<void> {
  const args = ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', serverProperties];
  await new Promise<void>((done, fail) => {
    execFile('java', args, (error, stdout, stderr) => {
      if (!error) return done();
      fail(new LocalKafkaError('GH_ERR_KAFKA_FORMAT_FAILED', `formatting the Kafka storage failed:\n${`${stdout}\n${stderr}`.trim()}`));
    });
  });
}

function checkJava(): Promise<void> {
  return new Promise((done, fail) => {
    execFile('java', ['-version'], (error) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        return fail(
          new LocalKafkaError(
            'GH_ERR_KAFKA_JAVA_MISSING',
            '`java` is not on PATH; the local Kafka broker needs Java 17 or later. Install a JDK (e.g. `apt-get install openjdk-17-jre-headless`) or put its bin folder on PATH.',
          ),
        );
      }
      done();
    });
  });
}

function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Guards against a stale pid file whose pid now belongs to another process. */
function isOurBroker(pid: number, serverProperties: string): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    return readFileSync(cmdline, 'utf8').includes(serverProperties);
  } catch {
    return false;
  }
}

async function tail(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
