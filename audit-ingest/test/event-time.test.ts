import { describe, expect, it } from 'vitest';
import { clickHouseTime, clickHouseTimeMilliseconds, eventMonth } from '../src/event-time.ts';

/** What Date makes of a time: the reference the text-based reading must agree with. */
const viaDate = (iso: string) => new Date(iso).toISOString();

describe('event times in UTC', () => {
  const times = [
    '2026-03-14T09:26:53.589Z',
    '2024-02-29T23:59:59.999Z',
    '2000-02-29T00:00:00.000Z',
    // Dates and times a calendar does not have, which Date rolls over into the next day or month.
    '2026-02-29T12:00:00.000Z',
    '1900-02-29T12:00:00.000Z',
    '2026-04-31T10:00:00.000Z',
    '2026-12-31T24:00:00.000Z',
    // Other spellings of ISO 8601 the event contract accepts.
    '2026-03-14T09:26:53Z',
    '2026-03-14T09:26:53.5Z',
    '2026-04-01T01:30:00.000+02:00',
    '2026-03-31T23:30:00.000-01:00',
  ];

  it.each(times)('reads %s as Date does', (iso) => {
    expect(clickHouseTime(iso)).toBe(`${viaDate(iso).slice(0, 10)} ${viaDate(iso).slice(11, 23)}`);
    expect(eventMonth(iso)).toBe(viaDate(iso).slice(0, 7));
    expect(clickHouseTimeMilliseconds(clickHouseTime(iso))).toBe(Date.parse(iso));
  });

  it('agrees with Date across random instants', () => {
    for (let i = 0; i < 2_000; i += 1) {
      const iso = new Date(Math.floor(Math.random() * 2 ** 42)).toISOString();
      expect(clickHouseTime(iso)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`);
      expect(clickHouseTimeMilliseconds(clickHouseTime(iso))).toBe(Date.parse(iso));
    }
  });

  it.each(['2026-03-14T09:26:53.589Z', '2026-03-14 09:26:53', '2026-03-14 09:26:53.5890', ''])('reads %j as no time of clickHouseTime\'s form', (text) => {
    expect(clickHouseTimeMilliseconds(text)).toBeNaN();
  });
});
