import { writeFile } from 'node:fs/promises';
import { decodeCursor, encodeCursor, exportPages, ExportFormatSchema, OCSF_VERSION, recordFormatter } from '../../../../audit-ingest/src/export/index.ts';
import type { Command } from '../../command.ts';
import { loadStoreSettings } from '../../config/load-settings.ts';
import { createLogger } from '../../logger.ts';
import { parseCommandArgs, UsageError } from '../../parse-args.ts';
import { openAuditStoreReader } from '../../run/audit-store-reader.ts';
import { GATEHOUSE_VERSION } from '../../version.ts';

const DEFAULT_SETTLE_MS = 5_000;

export const auditExportCommand: Command = {
  name: 'export',
  summary: 'export the audit trail for a SIEM (OCSF, CEF, ECS, Splunk HEC) from a cursor',
  help: `
Usage: gatehouse audit export --format ocsf|cef|ecs|hec [--since CURSOR|TIME] [--max-rows N]
                              [--cursor-file FILE] [--settle-ms N] [--config FILE]

Writes the audit trail to stdout, one record per line: JSON (NDJSON) for ocsf, ecs and hec, a
CEF line for cef. Rows come in the order they were stored; the last line on stderr is

  cursor: <opaque>

and "--since <opaque>" continues exactly after the last record written: nothing is repeated and
nothing is skipped. Without --since the export starts at the beginning; --since also takes an ISO
8601 time (rows stored from then on). Rows stored in the last --settle-ms (default ${DEFAULT_SETTLE_MS}) wait
for the next run, so that an insert still running cannot end up behind the cursor.

Works whether or not "gatehouse start" is running: a running embedded gateway owns the chDB
store, so the export reads through it over loopback.

Formats (see README.md "SIEM export"):
  ocsf  OCSF ${OCSF_VERSION}: API Activity (6003) for calls, outcomes and denials; Data Security Finding (2006) per DLP finding
  cef   ArcSight CEF:0 lines
  ecs   Elastic Common Schema documents
  hec   Splunk HTTP Event Collector events (the OCSF event as "event")

Options:
  --since CURSOR|TIME   where to start (default: the beginning)
  --max-rows N          stop after about N rows (the cursor says where to continue)
  --cursor-file FILE    also write the final cursor to FILE
  --settle-ms N         how old a row must be to be exported (default ${DEFAULT_SETTLE_MS})
  --config FILE         the config naming the store (default: as for "gatehouse start")

Example:
  gatehouse audit export --format ocsf > trail.ndjson 2> cursor.txt
  gatehouse audit export --format ocsf --since "$(sed -n 's/^cursor: //p' cursor.txt)" >> trail.ndjson
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      format: { type: 'string' },
      since: { type: 'string' },
      'max-rows': { type: 'string' },
      'cursor-file': { type: 'string' },
      'settle-ms': { type: 'string' },
      config: { type: 'string' },
    });
    const format = ExportFormatSchema.safeParse(values.format);
    if (!format.success) throw new UsageError(`--format must be one of ${ExportFormatSchema.options.join(', ')}${values.format ? `, not "${values.format}"` : ''}`);
    const maxRows = values['max-rows'] === undefined ? undefined : positiveInteger(values['max-rows'], '--max-rows');
    const settleMs = values['settle-ms'] === undefined ? DEFAULT_SETTLE_MS : positiveInteger(values['settle-ms'], '--settle-ms', 0);
    const after = values.since === undefined ? undefined : decodeCursor(values.since);
    const store = await loadStoreSettings(io, values.config);
    const reader = await openAuditStoreReader(store, createLogger({ ...io.env, LOG_LEVEL: io.env['LOG_LEVEL'] || 'warn' }, 'audit'));
    let position = after;
    let rows = 0;
    let records = 0;
    const finish = async () => {
      const cursor = encodeCursor(position);
      if (values['cursor-file']) await writeFile(values['cursor-file'], `${cursor}\n`);
      io.stderr.write(`exported ${records} record(s) from ${rows} row(s)\ncursor: ${cursor}\n`);
    };
    try {
      const pages = exportPages({ read: (sql) => reader.query(sql), after, format: recordFormatter(format.data, { productVersion: GATEHOUSE_VERSION }), maxRows, settleMs });
      for await (const page of pages) {
        await write(io.stdout, page.text);
        position = page.next;
        rows += page.rows;
        records += page.records;
      }
    } catch (error) {
      // The cursor still names the last record written, so a rerun continues without a gap or a repeat.
      await finish();
      throw error;
    } finally {
      await reader.close();
    }
    await finish();
    return 0;
  },
};

function positiveInteger(text: string, option: string, min = 1): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${option} must be an integer of at least ${min}, not "${text}"`);
  return value;
}

/** Resolves once `stream` took the text, waiting for it to drain when a reader is slow. */
function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.write(text)) resolve();
    else {
      stream.once('drain', resolve);
      stream.once('error', reject);
    }
  });
}
