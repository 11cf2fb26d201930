/**
 * An event's time (ISO 8601, any offset) in the UTC forms the store uses. Nearly every event
 * carries the form `toISOString` writes (`2026-03-14T09:26:53.589Z`); for it the UTC fields are
 * read off the text, which matters at tens of thousands of events a second. Any other spelling,
 * or a date the calendar does not have (which Date would roll over), goes through Date.
 */

/** `YYYY-MM-DD hh:mm:ss.sss` in UTC: what DateTime64(3, 'UTC') parses whatever the server's settings. */
export function clickHouseTime(isoTime: string): string {
  const utc = isInToIsoStringForm(isoTime) ? isoTime : new Date(isoTime).toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 23)}`;
}

/** Milliseconds since the epoch of a time in clickHouseTime's form; NaN for any other text. */
export function clickHouseTimeMilliseconds(text: string): number {
  if (!CLICKHOUSE_TIME.test(text)) return Number.NaN;
  return Date.UTC(
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2) - 1,
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
    digitsAt(text, 20, 3),
  );
}

const CLICKHOUSE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/** `YYYY-MM` in UTC: the monthly partition of `audit_events` the event is stored in. */
export function eventMonth(isoTime: string): string {
  return (isInToIsoStringForm(isoTime) ? isoTime : new Date(isoTime).toISOString()).slice(0, 7);
}

/** `YYYY-MM-DDThh:mm:ss.sssZ` naming a real date and time; read by character codes rather than a regular expression, for speed. */
function isInToIsoStringForm(isoTime: string): boolean {
  if (isoTime.length !== 24 || isoTime[4] !== '-' || isoTime[7] !== '-' || isoTime[10] !== 'T' || isoTime[13] !== ':') return false;
  if (isoTime[16] !== ':' || isoTime[19] !== '.' || isoTime[23] !== 'Z' || digitsAt(isoTime, 20, 3) < 0) return false;
  const year = digitsAt(isoTime, 0, 4);
  const month = digitsAt(isoTime, 5, 2);
  const day = digitsAt(isoTime, 8, 2);
  const hour = digitsAt(isoTime, 11, 2);
  const minute = digitsAt(isoTime, 14, 2);
  const second = digitsAt(isoTime, 17, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** The decimal number written by `count` digits at `start`, or -1 if one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
