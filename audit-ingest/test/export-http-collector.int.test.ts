import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, runReadOnlyQuery } from '../src/index.ts';
import { createContinuousExporter, createCursorFile, createHttpCollectorSink, recordFormatter } from '../src/export/index.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';
import { storeEvents } from './export-support/export-rows.ts';
import { waitFor } from './export-support/wait-for.ts';

interface HecEvent {
  event: { metadata: { uid: string } };
  sourcetype: string;
}

/**
 * A HEC-style collector on 127.0.0.1 that fails requests 1, 3 and 4 (503, a dropped connection,
 * 500) and accepts the others, keeping what it accepted.
 */
function startFlakyCollector() {
  const accepted: HecEvent[] = [];
  const authorizations = new Set<string>();
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    const attempt = requests;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      authorizations.add(request.headers.authorization ?? '');
      if (attempt === 1) return void response.writeHead(503).end('{"text":"Server is busy","code":9}');
      if (attempt === 3) return void request.socket.destroy();
      if (attempt === 4) return void response.writeHead(500).end();
      const body = Buffer.concat(chunks).toString('utf8');
      accepted.push(...body.split('\n').map((line) => JSON.parse(line) as HecEvent));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
    });
  });
  return {
    accepted,
    authorizations,
    requests: () => requests,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/collector/event`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('continuous export to an HTTP collector (HEC)', () => {
  const logger = pino({ level: 'silent' });
  const collector = startFlakyCollector();
  let dir: string;
  let url: string;
  let store: TempStore;
  let offset = 0;

  const storeCalls = async (calls: number) => {
    const events = Array.from({ length: calls }, () => toolCallEvents(uniqueContext())).flat();
    await storeEvents(store.connection, events, offset);
    offset += events.length;
    return events;
  };
  const exporter = () =>
    createContinuousExporter({
      read: (sql) => runReadOnlyQuery(store.connection, sql),
      sink: createHttpCollectorSink({ url, authorization: 'Splunk test-hec-token', timeoutMs: 5_000 }),
      format: recordFormatter('hec', { productVersion: 'test' }),
      cursor: createCursorFile(path.join(dir, 'http.cursor')),
      logger,
      pageSize: 5,
      settleMs: 0,
      pollIntervalMs: 50,
      retryDelayMs: 20,
      maxRetryDelayMs: 100,
    });
  const acceptedIds = async () => collector.accepted.map((event) => event.event.metadata.uid);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-export-http-'));
    url = await collector.listen();
    store = openTempStore();
    await migrate(store.connection);
  });
  afterAll(async () => {
    await collector.close();
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries failed requests and resumes from its cursor file after a restart: every record exactly once, in order', async () => {
    const first = await storeCalls(4);
    const running = exporter();
    await running.start();
    await waitFor(acceptedIds, (ids) => ids.length >= 12, 'the collector accepting the first 12 records');
    await running.stop();
    expect(collector.requests()).toBeGreaterThanOrEqual(6);

    const second = await storeCalls(3);
    const restarted = exporter();
    await restarted.start();
    await waitFor(acceptedIds, (ids) => ids.length >= 21, 'the collector accepting all 21 records');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restarted.stop();

    const order = await queryRows<{ id: string; type: string }>(store.connection, 'SELECT toString(event_id) AS id, type FROM audit_events ORDER BY ingested_at, event_id');
    const expected = order.map((row) => (row.type === 'dlp.verdict' ? `${row.id}/0` : row.id));
    expect(new Set(expected)).toEqual(new Set([...first, ...second].map((event) => (event.type === 'dlp.verdict' ? `${event.id}/0` : event.id))));
    expect(await acceptedIds()).toEqual(expected);
    expect(collector.accepted.every((event) => event.sourcetype === 'gatehouse:ocsf')).toBe(true);
    expect([...collector.authorizations]).toEqual(['Splunk test-hec-token']);
  });
});
