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
 * Sends the inserts that get ready while the previous ones are being stored (or, when none are, in
 * the same turn of the event loop) as one ClickHouse insert each month, of at most `maxRows` rows.
 * Every insert costs ClickHouse a new part, written to disk and merged later, whatever its size: a
 * consumer of six partitions otherwise sends six inserts for each fetch (and six checkpoints), and
 * under a steady load those fixed costs, not the rows, decided how soon an event became queryable.
 * Waiting for the inserts in flight, rather than for the end of a turn only, keeps the partitions'
 * batches together when they get ready at different moments (prepared on another thread).
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
  let inFlight = 0;
  let scheduled = false;

  /**
   * At the end of the turn, so that inserts made ready by the acknowledgement that ended the last
   * send (the next batches of its partitions) join the next one.
   */
  function schedule(): void {
    if (scheduled || inFlight > 0 || waiting.length === 0) return;
    scheduled = true;
    setImmediate(sendWaiting);
  }

  function sendWaiting(): void {
    scheduled = false;
    const ready = waiting;
    waiting = [];
    for (const group of groupsOf(ready, maxRows)) {
      const inserts = group.map((entry) => entry.insert);
      inFlight += 1;
      send(inserts, groupToken(inserts))
        .then(
          () => group.forEach((entry) => entry.resolve()),
          (error: unknown) => group.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          inFlight -= 1;
          schedule();
        });
    }
  }

  return {
    store(insert) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ insert, resolve, reject });
        schedule();
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
