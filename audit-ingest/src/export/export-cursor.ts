import { z } from 'zod';
import { ExportError } from './export-errors.ts';

/**
 * Where an export stands: after the row with this (ingested_at, event_id), in that order. Every
 * stored row has one place in this order, so resuming after a position neither repeats nor skips
 * a row — provided rows are read only once they can no longer be joined by rows that sort before
 * them (see export-page.ts: the settle window).
 */
export interface ExportPosition {
  ingestedAtMs: number;
  eventId: string;
}

/** Before every row. */
export const START: ExportPosition | undefined = undefined;

const CURSOR_PREFIX = 'gh1.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Sorts after every id: a position at (t - 1 ms, MAX_UUID) is "everything ingested from t on". */
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

const PositionSchema = z.object({
  ingestedAtMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  eventId: z.string().regex(UUID),
});

/** The opaque text form a user passes back with --since. */
export function encodeCursor(position: ExportPosition | undefined): string {
  if (!position) return `${CURSOR_PREFIX}start`;
  return CURSOR_PREFIX + Buffer.from(`${position.ingestedAtMs}|${position.eventId}`).toString('base64url');
}

/**
 * Reads `--since`: a cursor an export printed, or an ISO 8601 time (rows ingested from then on).
 * Parsed into an integer and a canonical UUID, the only forms that reach SQL.
 */
export function decodeCursor(text: string): ExportPosition | undefined {
  const trimmed = text.trim();
  if (trimmed === `${CURSOR_PREFIX}start`) return START;
  if (trimmed.startsWith(CURSOR_PREFIX)) {
    const [ms, id] = Buffer.from(trimmed.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8').split('|');
    const parsed = PositionSchema.safeParse({ ingestedAtMs: Number(ms), eventId: id?.toLowerCase() });
    if (parsed.success) return parsed.data;
    throw new ExportError('GH_ERR_EXPORT_CURSOR_INVALID', `"${trimmed.slice(0, 80)}" is not a cursor this version wrote`);
  }
  if (z.iso.datetime({ offset: true }).safeParse(trimmed).success || z.iso.date().safeParse(trimmed).success) {
    return { ingestedAtMs: Math.max(0, Date.parse(trimmed) - 1), eventId: MAX_UUID };
  }
  throw new ExportError('GH_ERR_EXPORT_CURSOR_INVALID', `"${trimmed.slice(0, 80)}" is neither a cursor nor an ISO 8601 time`);
}
