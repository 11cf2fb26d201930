import { hash } from 'node:crypto';

/** An insert ready to go: atomic on its own (one month), with its own deduplication token. */
export interface GroupableInsert {
  month: string;
  insert: { rows: number; token: string };
}

export interface GroupCommit<T extends GroupableInsert> {
  /** Resolves once ClickHouse acknowledged the insert that carried `insert`; rejects if that insert failed. */
  store(insert: T): Promise<void>;
}

interface Waiting<T> {
  insert: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends the inserts that get ready in the same turn of the event loop (the batches of one fetch,
 * or the checkpoints they bring due) as one ClickHouse insert each month, of at most `maxRows`
 * rows. Every insert costs ClickHouse a new part, written to disk and merged later, whatever its
 * size: a consumer of six partitions otherwise sends six inserts for each fetch (and six
 * checkpoints), and under a steady load those fixed costs, not the rows, decided how soon an
 * event became queryable.
 *
 * A group stays atomic: its inserts are of one month (one part in one partition of the table), so
 * a crash leaves each partition's stored rows a prefix of its log, as for a single insert. Its
 * token is derived from its inserts' tokens, so the same group sent again is kept once; a
 * redelivery grouped differently is caught by the writer's check of what is stored.
 */
export function createGroupCommit<T extends GroupableInsert>(
  send: (group: readonly T[], token: string) => Promise<void>,
  maxRows: number,
): GroupCommit<T> {
  let waiting: Array<Waiting<T>> = [];

  function sendWaiting(): void {
    const ready = waiting;
    waiting = [];
    for (const group of groupsOf(ready, maxRows)) {
      const inserts = group.map((entry) => entry.insert);
      send(inserts, groupToken(inserts)).then(
        () => group.forEach((entry) => entry.resolve()),
        (error: unknown) => group.forEach((entry) => entry.reject(error)),
      );
    }
  }

  return {
    store(insert) {
      return new Promise<void>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(sendWaiting);
        waiting.push({ insert, resolve, reject });
      });
    },
  };
}

/** Inserts in the order given, a new group wherever the month changes or `maxRows` would be passed. */
function groupsOf<T extends GroupableInsert>(ready: ReadonlyArray<Waiting<T>>, maxRows: number): Array<Array<Waiting<T>>> {
  const groups: Array<Array<Waiting<T>>> = [];
  let group: Array<Waiting<T>> = [];
  let rows = 0;
  for (const entry of ready) {
    const { month, insert } = entry.insert;
    if (group.length > 0 && (month !== group[0]!.insert.month || rows + insert.rows > maxRows)) {
      groups.push(group);
      group = [];
      rows = 0;
    }
    group.push(entry);
    rows += insert.rows;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function groupToken(inserts: readonly GroupableInsert[]): string {
  if (inserts.length === 1) return inserts[0]!.insert.token;
  return `group/${hash('sha256', inserts.map(({ insert }) => insert.token).join('\n'), 'hex').slice(0, 48)}`;
}
