import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, exportPageSql } from '../src/export/index.ts';

describe('export cursors', () => {
  it('round-trips a position through its opaque text', () => {
    const position = { ingestedAtMs: 1_773_480_413_589, eventId: '019ce7a0-1b2c-7d3e-8f40-123456789abc' };
    const text = encodeCursor(position);
    expect(text).toMatch(/^gh1\./);
    expect(decodeCursor(text)).toEqual(position);
    expect(decodeCursor(` ${text}\n`)).toEqual(position);
    expect(decodeCursor(encodeCursor(undefined))).toBeUndefined();
  });

  it('reads an ISO time as "everything ingested from then on"', () => {
    expect(decodeCursor('2026-03-14T09:26:53.589Z')).toEqual({ ingestedAtMs: Date.parse('2026-03-14T09:26:53.589Z') - 1, eventId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' });
    expect(decodeCursor('2026-03-14')).toEqual({ ingestedAtMs: Date.parse('2026-03-14') - 1, eventId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' });
  });

  it('refuses anything else with GH_ERR_EXPORT_CURSOR_INVALID, before it can reach SQL', () => {
    const forged = `gh1.${Buffer.from("1|x') OR 1=1 --").toString('base64url')}`;
    for (const text of ['yesterday', forged, 'gh1.', `gh1.${Buffer.from('-5|019ce7a0-1b2c-7d3e-8f40-123456789abc').toString('base64url')}`]) {
      expect(() => decodeCursor(text)).toThrow(expect.objectContaining({ code: 'GH_ERR_EXPORT_CURSOR_INVALID' }));
    }
    expect(() => exportPageSql({ ingestedAtMs: 1, eventId: "x') OR 1=1 --" }, { limit: 1, settleMs: 0 })).toThrow(RangeError);
  });
});
