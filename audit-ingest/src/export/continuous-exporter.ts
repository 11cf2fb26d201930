import type { Logger } from 'pino';
import type { CursorFile } from './cursor-file.ts';
import { encodeCursor } from './export-cursor.ts';
import { readExportPage, type ReadAuditStore } from './export-page.ts';
import { toExportRecords } from './export-record.ts';
import type { FormatRecord } from './formats/index.ts';
import type { ExportSink } from './sinks/export-sink.ts';

export interface ContinuousExporterOptions {
  read: ReadAuditStore;
  sink: ExportSink;
  format: FormatRecord;
  cursor: CursorFile;
  logger: Logger;
  /** Rows per page (one delivery). Default 500. */
  pageSize?: number;
  /** See ExportPageOptions.settleMs. Default 5000. */
  settleMs?: number;
  /** Wait between polls when there is nothing new. Default 1000. */
  pollIntervalMs?: number;
  /** First wait after a failed read or delivery; doubles up to maxRetryDelayMs. Default 500. */
  retryDelayMs?: number;
  /** Default 30 000. */
  maxRetryDelayMs?: number;
}

export interface ContinuousExporter {
  start(): Promise<void>;
  /** Finishes or abandons the page in flight (an abandoned page is sent again after a restart), then stops. Does not close the sink. */
  stop(): Promise<void>;
}

/**
 * Pushes the audit trail to one sink, page by page in (ingested_at, event_id) order. The cursor
 * file moves only after the sink took a page, so a stop or a crash loses nothing; a page the sink
 * refused is sent again, unchanged, after a backoff, and nothing newer is sent before it.
 */
export function createContinuousExporter(options: ContinuousExporterOptions): ContinuousExporter {
  const { read, sink, format, cursor } = options;
  const log = options.logger.child({ component: 'audit-export', sink: sink.name });
  const pageSize = options.pageSize ?? 500;
  const settleMs = options.settleMs ?? 5_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const stopping = new AbortController();
  let running: Promise<void> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopping.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });

  async function loop(): Promise<void> {
    let position = await cursor.load();
    let retryDelay = options.retryDelayMs ?? 500;
    log.info({ cursor: encodeCursor(position) }, 'audit export running');
    while (!stopping.signal.aborted) {
      try {
        const page = await readExportPage(read, position, { limit: pageSize, settleMs });
        if (page.rows.length > 0) {
          const items = page.rows.flatMap(toExportRecords).map((record) => ({ record, line: format(record) }));
          await sink.deliver(items);
          await cursor.save(page.next);
          position = page.next;
          log.debug({ rows: page.rows.length, records: items.length, cursor: encodeCursor(position) }, 'audit page exported');
        }
        retryDelay = options.retryDelayMs ?? 500;
        if (page.rows.length < pageSize) await pause(pollIntervalMs);
      } catch (error) {
        log.warn({ err: error, retry_in_ms: retryDelay, cursor: encodeCursor(position) }, 'audit export page failed; sending it again after a pause');
        await pause(retryDelay);
        retryDelay = Math.min(retryDelay * 2, maxRetryDelayMs);
      }
    }
  }

  return {
    async start() {
      if (running) return;
      // Fail at start on a damaged cursor file rather than in the background.
      await cursor.load();
      running = loop().catch((error: unknown) => log.error({ err: error }, 'audit export stopped on an error'));
    },
    async stop() {
      stopping.abort();
      await running;
      running = undefined;
    },
  };
}
