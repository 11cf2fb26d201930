import type { ExportPosition } from './export-cursor.ts';
import { readExportPage, type ReadAuditStore } from './export-page.ts';
import { toExportRecords } from './export-record.ts';
import type { FormatRecord } from './formats/index.ts';

export interface ExportPagesOptions {
  read: ReadAuditStore;
  after: ExportPosition | undefined;
  format: FormatRecord;
  pageSize?: number;
  settleMs?: number;
  /** Stop after about this many rows (at a page boundary); all settled rows when absent. */
  maxRows?: number;
}

export interface FormattedPage {
  /** One line per record, each ending in a newline. */
  text: string;
  rows: number;
  records: number;
  /** Once `text` is written, the next export resumes here. */
  next: ExportPosition | undefined;
}

/**
 * Every settled row after `after`, formatted, page by page. The caller writes a page, then takes
 * its `next` as the position to report: a failure between pages leaves a position that neither
 * repeats nor skips what was written.
 */
export async function* exportPages(options: ExportPagesOptions): AsyncGenerator<FormattedPage> {
  const pageSize = options.pageSize ?? 1_000;
  let position = options.after;
  let rows = 0;
  while (options.maxRows === undefined || rows < options.maxRows) {
    const limit = options.maxRows === undefined ? pageSize : Math.min(pageSize, options.maxRows - rows);
    const page = await readExportPage(options.read, position, { limit, settleMs: options.settleMs ?? 5_000 });
    if (page.rows.length === 0) return;
    const lines = page.rows.flatMap(toExportRecords).map((record) => `${options.format(record)}\n`);
    position = page.next;
    rows += page.rows.length;
    yield { text: lines.join(''), rows: page.rows.length, records: lines.length, next: page.next };
    if (page.rows.length < limit) return;
  }
}
