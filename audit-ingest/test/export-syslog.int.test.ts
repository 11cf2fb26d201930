import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, runReadOnlyQuery } from '../src/index.ts';
import { createContinuousExporter, createCursorFile, createSyslogSink, recordFormatter, type ExportSink } from '../src/export/index.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, type TempStore } from './support/temp-store.ts';
import { storeEvents } from './export-support/export-rows.ts';
import { findRsyslogd, startRsyslog, type Rsyslog } from './export-support/rsyslog.ts';
import { waitFor } from './export-support/wait-for.ts';

const rsyslogd = findRsyslogd();
if (!rsyslogd) console.warn('export-syslog: skipped — rsyslogd is not installed (apt-get install rsyslog; .ci/run installs it)');

describe.skipIf(!rsyslogd)('continuous export to a real rsyslog (RFC 5424 over TCP, octet counting)', () => {
  const logger = pino({ level: 'silent' });
  let dir: string;
  let store: TempStore;
  let rsyslog: Rsyslog;
  const sinks: ExportSink[] = [];
  let offset = 0;

  const storeCalls = async (calls: number) => {
    const events = Array.from({ length: calls }, () => toolCallEvents(uniqueContext())).flat();
    await storeEvents(store.connection, events, offset);
    offset += events.length;
    return events;
  };
  /** An exporter as a fresh process would make it: its own connection, the cursor from the file. */
  const exporter = () => {
    const sink = createSyslogSink({ host: '127.0.0.1', port: rsyslog.port, productVersion: '1.2.3', logger });
    sinks.push(sink);
    return createContinuousExporter({
      read: (sql) => runReadOnlyQuery(store.connection, sql),
      sink,
      format: recordFormatter('cef', { productVersion: '1.2.3' }),
      cursor: createCursorFile(path.join(dir, 'cursors', 'syslog.cursor')),
      logger,
      pageSize: 4,
      settleMs: 0,
      pollIntervalMs: 50,
    });
  };
  /** CEF externalId of each message rsyslog wrote, in arrival order. */
  const receivedIds = async () => (await rsyslog.lines()).map((line) => /externalId=(\S+)/.exec(line)?.[1] ?? `unparsed: ${line}`);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-export-syslog-'));
    rsyslog = await startRsyslog(rsyslogd!, dir);
    store = openTempStore();
    await migrate(store.connection);
  });
  afterAll(async () => {
    for (const sink of sinks) await sink.close();
    await rsyslog?.stop();
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every record once, parsed by rsyslog as RFC 5424, across an exporter restart', async () => {
    const first = await storeCalls(3);
    const running = exporter();
    await running.start();
    await waitFor(receivedIds, (ids) => ids.length >= 9, 'rsyslog receiving the first 9 records');
    await running.stop();

    const second = await storeCalls(2);
    const restarted = exporter();
    await restarted.start();
    const ids = await waitFor(receivedIds, (seen) => seen.length >= 15, 'rsyslog receiving all 15 records');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restarted.stop();

    const verdictRecord = (id: string) => `${id}/0`;
    const expected = [...first, ...second].map((event) => (event.type === 'dlp.verdict' ? verdictRecord(event.id) : event.id));
    expect((await receivedIds()).sort()).toEqual(expected.sort());
    expect(new Set(ids).size).toBe(ids.length);

    const lines = await rsyslog.lines();
    const completed = lines.find((line) => line.includes(`externalId=${first[2]!.id}`))!;
    const [appName, msgId, structuredData, hostname, severity, ...msg] = completed.split('|');
    expect({ appName, msgId, structuredData, hostname, severity }).toEqual({
      appName: 'gatehouse',
      msgId: 'tool.call.completed',
      structuredData: '[origin software="Gatehouse" swVersion="1.2.3"]',
      hostname: 'gw-test',
      severity: '5',
    });
    expect(msg.join('|')).toMatch(/^CEF:0\|Gatehouse\|Gatehouse\|1\.2\.3\|tool\.call\.completed\|/);
    expect(completed).toContain('act=redacted outcome=success');
    const finding = lines.find((line) => line.includes(`externalId=${first[1]!.id}/0`))!;
    expect(finding.split('|').slice(0, 2)).toEqual(['gatehouse', 'dlp.finding']);
  });
});
