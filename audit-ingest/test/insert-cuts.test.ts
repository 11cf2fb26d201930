import { describe, expect, it } from 'vitest';
import { createEvent } from '../../events/src/index.ts';
import { cutInserts } from '../src/index.ts';
import { fixedClock, uniqueContext } from './support/audit-events.ts';

const at = (iso: string, offset: number) => ({
  event: createEvent('tool.call.received', uniqueContext(), { correlation_id: 'c', arguments_bytes: 1 }, fixedClock(iso)),
  partition: 0,
  offset: String(offset),
});

describe('cutInserts', () => {
  const offsets = (inserts: ReturnType<typeof cutInserts>) => inserts.map((insert) => insert.map((event) => Number(event.offset)));

  it('cuts at every offset that is a multiple of the insert size, wherever the delivery starts', () => {
    const events = Array.from({ length: 9 }, (_, i) => at('2026-03-14T09:00:00Z', 7 + i));
    expect(offsets(cutInserts(events, 5))).toEqual([[7, 8, 9], [10, 11, 12, 13, 14], [15]]);
    expect(offsets(cutInserts(events.slice(3), 5))).toEqual([[10, 11, 12, 13, 14], [15]]);
  });

  it('cuts where the month changes, so each insert is one part of one monthly partition', () => {
    const events = [at('2026-03-31T23:59:59.999Z', 1), at('2026-04-01T00:00:00Z', 2), at('2026-04-01T00:00:01Z', 3), at('2026-03-31T23:59:58Z', 4)];
    expect(offsets(cutInserts(events, 100))).toEqual([[1], [2, 3], [4]]);
  });

  it('cuts exactly at offsets beyond 2^53, where a double cannot hold them', () => {
    const base = at('2026-03-14T09:00:00Z', 0);
    // 2^60 is a multiple of 4; its neighbours round to it as doubles.
    const events = ['1152921504606846975', '1152921504606846976', '1152921504606846977'].map((offset) => ({ ...base, offset }));
    expect(cutInserts(events, 4).map((insert) => insert.map((event) => event.offset))).toEqual([
      ['1152921504606846975'],
      ['1152921504606846976', '1152921504606846977'],
    ]);
  });
});
