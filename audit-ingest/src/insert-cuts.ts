import type { DeliveredEvent } from '../../events/src/index.ts';
import { eventMonth } from './event-time.ts';

/**
 * Splits one partition's events, in offset order, into the inserts that store them. Each insert
 * must be atomic — one part in one monthly partition — so that what a crash leaves stored is
 * always a prefix of the log: a cut falls wherever the event month changes. Cuts also fall at
 * every offset that is a multiple of `maxRows`, not at "`maxRows` after wherever this delivery
 * began", so a redelivery that starts where an earlier one did is cut the same way.
 */
export function cutInserts(events: readonly DeliveredEvent[], maxRows: number): DeliveredEvent[][] {
  const inserts: DeliveredEvent[][] = [];
  let current: DeliveredEvent[] = [];
  let currentMonth = '';
  for (const delivered of events) {
    const month = insertMonth(delivered);
    if (cutsBefore(current.length, currentMonth, delivered.offset, month, maxRows)) {
      inserts.push(current);
      current = [];
    }
    current.push(delivered);
    currentMonth = month;
  }
  if (current.length > 0) inserts.push(current);
  return inserts;
}

/** Whether an insert of `rows` events of `month` ends before the event at `offset`, of `nextMonth` (see cutInserts). */
export function cutsBefore(rows: number, month: string, offset: string, nextMonth: string, maxRows: number): boolean {
  return rows > 0 && (nextMonth !== month || isMultipleOf(offset, maxRows) || rows >= maxRows);
}

/** The monthly partition of the table an event is stored in. */
export function insertMonth(delivered: DeliveredEvent): string {
  return delivered.event.time.length > 0 ? eventMonth(delivered.event.time) : '';
}

/** Whether the decimal offset is a multiple of `step`; offsets beyond 2^53 are exact only as BigInt. */
function isMultipleOf(offset: string, step: number): boolean {
  return offset.length < 16 ? Number(offset) % step === 0 : BigInt(offset) % BigInt(step) === 0n;
}
