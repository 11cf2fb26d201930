import { createHash } from 'node:crypto';
import { ExportError } from '../export-errors.ts';
import type { ExportSink } from './export-sink.ts';

export interface HttpCollectorSinkOptions {
  /** e.g. https://splunk.example:8088/services/collector/event */
  url: string;
  /** Sent as `Authorization`; for Splunk HEC `Splunk <token>`. Never logged. */
  authorization?: string;
  /** `application/json` for HEC (concatenated events), `application/x-ndjson` for NDJSON collectors. */
  contentType?: string;
  timeoutMs?: number;
}

/**
 * Posts each page as one request: the items' lines joined by newlines, which HEC reads as
 * concatenated events and NDJSON collectors as one document per line. Any answer but 2xx fails
 * the page, and the exporter sends the same page again. `Idempotency-Key` names the page by its
 * first and last record, so a collector that deduplicates can drop a page sent twice (after a
 * timeout whose request did arrive, or a crash between the answer and the cursor write).
 */
export function createHttpCollectorSink(options: HttpCollectorSinkOptions): ExportSink {
  const target = new URL(options.url);
  const where = `${target.origin}${target.pathname}`;
  return {
    name: 'http',
    async deliver(items) {
      if (items.length === 0) return;
      const key = createHash('sha256').update(`${items[0]!.record.uid}\n${items[items.length - 1]!.record.uid}\n${items.length}`).digest('hex');
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': options.contentType ?? 'application/json',
            'idempotency-key': key,
            ...(options.authorization ? { authorization: options.authorization } : {}),
          },
          body: items.map((item) => item.line).join('\n'),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new ExportError('GH_ERR_EXPORT_DELIVERY_FAILED', `HTTP collector ${where} unreachable: ${(error as Error).message}`);
      }
      // The collector's answer is read only to free the connection: it may echo what it received.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new ExportError('GH_ERR_EXPORT_DELIVERY_FAILED', `HTTP collector ${where} answered ${response.status}`);
    },
    async close() {},
  };
}
