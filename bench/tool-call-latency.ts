/**
 * Latency of tools/call of an echo tool: direct to the upstream, through the gateway on the
 * embedded default (one process), and through the gateway on Kafka (gateway, dlp-worker and
 * audit-ingest as separate processes, as deployed); sequential and concurrent.
 * Run: npm run bench   (starts its own Kafka broker and upstream on 127.0.0.1; ends by itself)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import type { Client } from '@modelcontextprotocol/client';
import { startLocalKafka } from '../deploy/kafka/local-kafka.ts';
import { defaultKafkaCacheDir, kafkaVersion } from '../deploy/kafka/kafka-jars.ts';
import { startEmbeddedPipeline } from '../cli/src/run/embedded-pipeline.ts';
import { startEverythingServer } from '../gateway/test/support/everything-server.ts';
import { connectMcpClient } from '../test/support/mcp-client.ts';
import { TEST_TOKEN, testSettings } from '../test/support/pipeline.ts';
import { startRoleProcess, type RoleProcess } from '../test/support/role-process.ts';
import { Client as McpClient, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const SEQUENTIAL_CALLS = Number(process.env['BENCH_SEQUENTIAL'] ?? 300);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const CONCURRENT_CALLS = Number(process.env['BENCH_CONCURRENT'] ?? 800);
const WARMUP = 30;
const logger = pino({ level: 'silent' });

interface Measurement {
  p50: number;
  p99: number;
  callsPerSecond: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(clients: Client[], calls: number): Promise<Measurement> {
  const call = (client: Client, i: number) => client.callTool({ name: clients.length > 0 ? toolName : 'echo', arguments: { message: `bench ${i}` } });
  for (let i = 0; i < WARMUP; i++) await call(clients[0]!, i);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (next < calls) {
        const i = next++;
        const t0 = performance.now();
        const result = await call(client, i);
        latencies.push(performance.now() - t0);
        if (result.isError) throw new Error(`echo failed: ${JSON.stringify(result.content)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), callsPerSecond: calls / seconds };
}

let toolName = 'echo';

async function connectDirect(url: string): Promise<Client> {
  const client = new McpClient({ name: 'bench-direct', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function run(label: string, connect: () => Promise<Client>, tool: string): Promise<Array<[string, string, Measurement]>> {
  toolName = tool;
  const clients = await Promise.all(Array.from({ length: CONCURRENCY }, connect));
  try {
    const sequential = await measure(clients.slice(0, 1), SEQUENTIAL_CALLS);
    const concurrent = await measure(clients, CONCURRENT_CALLS);
    return [
      [label, 'sequential', sequential],
      [label, `concurrent x${CONCURRENCY}`, concurrent],
    ];
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

function portalConfig(upstreamUrl: string, kind: 'embedded' | 'kafka') {
  return {
    bus: { kind },
    tokens: [{ token: { env: 'GATEHOUSE_DEV_TOKEN' }, subject: 'bench' }],
    portals: [{ name: 'bench', servers: [{ name: 'upstream', transport: 'streamable-http', url: upstreamUrl }] }],
  };
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'gatehouse-bench-'));
  const everything = await startEverythingServer();
  const rows: Array<[string, string, Measurement]> = [];
  try {
    rows.push(...(await run('direct to upstream', () => connectDirect(everything.url), 'echo')));

    const embedded = await startEmbeddedPipeline(testSettings({ dataDir: path.join(work, 'embedded'), config: portalConfig(everything.url, 'embedded') }), logger);
    try {
      rows.push(...(await run('gateway, embedded', () => connectMcpClient(`${embedded.url}/mcp`, TEST_TOKEN, 'legacy'), 'upstream__echo')));
    } finally {
      await embedded.close();
    }

    const cacheDir = defaultKafkaCacheDir(process.env, await kafkaVersion());
    const kafka = await startLocalKafka({ dataDir: path.join(work, 'kafka'), cacheDir });
    // Production shape: gateway, dlp-worker and audit-ingest each in its own process.
    const configFile = path.join(work, 'gatehouse.yaml');
    await writeFile(configFile, stringify({ ...portalConfig(everything.url, 'kafka'), gateway: { port: 0 }, store: { chdb_path: path.join(work, 'kafka-chdb') } }));
    const env = { KAFKA_BROKERS: kafka.brokers.join(','), GATEHOUSE_DEV_TOKEN: TEST_TOKEN };
    const roles: RoleProcess[] = [];
    try {
      roles.push(await startRoleProcess('audit-ingest', ['--config', configFile], env, /audit-ingest is consuming/));
      roles.push(await startRoleProcess('dlp-worker', ['--config', configFile], env, /dlp-worker is consuming/));
      const gateway = await startRoleProcess('gateway', ['--config', configFile], env, /ready: (http:\/\/\S+\/mcp)/);
      roles.push(gateway);
      rows.push(...(await run('gateway, Kafka', () => connectMcpClient(gateway.match[1]!, TEST_TOKEN, 'legacy'), 'upstream__echo')));
    } finally {
      for (const role of roles.reverse()) await role.stop();
      await kafka.stop();
    }
  } finally {
    await everything.stop();
    await rm(work, { recursive: true, force: true });
  }

  const direct = new Map(rows.filter(([label]) => label === 'direct to upstream').map(([, mode, m]) => [mode, m]));
  const header = ['path', 'mode', 'p50 ms', 'p99 ms', 'calls/s', 'added p50 ms', 'p50 ratio'];
  const table = rows.map(([label, mode, m]) => {
    const base = direct.get(mode)!;
    return [label, mode, m.p50.toFixed(2), m.p99.toFixed(2), m.callsPerSecond.toFixed(0), (m.p50 - base.p50).toFixed(2), `${(m.p50 / base.p50).toFixed(2)}x`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(`tools/call of an echo tool (Streamable HTTP upstream), ${SEQUENTIAL_CALLS} sequential and ${CONCURRENT_CALLS} concurrent calls, Node ${process.version}`);
  console.log(line(header));
  for (const row of table) console.log(line(row));
}

await main();
