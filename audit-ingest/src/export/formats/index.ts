import { z } from 'zod';
import type { ExportRecord } from '../export-record.ts';
import { toCef } from './cef.ts';
import { toEcs } from './ecs.ts';
import { toHec, type HecContext } from './hec.ts';
import { toOcsf } from './ocsf.ts';

export const ExportFormatSchema = z.enum(['ocsf', 'cef', 'ecs', 'hec']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export type ExportFormatContext = HecContext;

/** One record as one line of text: JSON for ocsf, ecs and hec (NDJSON when joined with newlines), the CEF line for cef. */
export type FormatRecord = (record: ExportRecord) => string;

export function recordFormatter(format: ExportFormat, context: ExportFormatContext): FormatRecord {
  switch (format) {
    case 'ocsf':
      return (record) => JSON.stringify(toOcsf(record, context));
    case 'ecs':
      return (record) => JSON.stringify(toEcs(record, context));
    case 'hec':
      return (record) => JSON.stringify(toHec(record, context));
    case 'cef':
      return (record) => toCef(record, context);
  }
}

export { OCSF_VERSION } from './ocsf.ts';
export { ECS_VERSION } from './ecs.ts';
