import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../events/src/index.ts';
import { migrate, runReadOnlyQuery } from '../src/index.ts';
import { decodeCursor, encodeCursor, exportPages, readExportPage, recordFormatter, type ExportPosition, type ReadAuditStore } from '../src/export/index.ts';
import { toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';
import { storeEvents } from './export-support/export-rows.ts';

describe('reading the audit trail for export', () => {
  let store: TempStore;
  let read: ReadAuditStore;
  const stored: Event[] = [];

  const storeCalls = async (calls: number) => {
    const events = Array.from({ length: calls }, () => toolCallEvents(uniqueContext())).flat();
    await storeEvents(store.connection, events, stored.length);
    stored.push(...events);
    return events;
  };

  /** Every row after `after`, page by page, as event ids. */
  const readAll = async (after: ExportPosition | undefined, limit: number, settleMs = 0) => {
    const ids: string[] = [];
    let position = after;
    for (;;) {
      const page = await readExportPage(read, position, { limit, settleMs });
      ids.push(...page.rows.map((row) => row.event_id));
      position = page.next;
      if (page.rows.length < limit) return { ids, position };
    }
  };

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
    read = (sql) => runReadOnlyQuery(store.connection, sql);
  });
  afterAll(() => store.dispose());

  it('reads every row once, in (ingested_at, event_id) order, across pages that split rows of one insert', async () => {
    await storeCalls(5);
    await storeCalls(4);
    const { ids, position } = await readAll(undefined, 4);

    const order = await queryRows<{ id: string }>(store.connection, 'SELECT toString(event_id) AS id FROM audit_events ORDER BY ingested_at, event_id');
    expect(ids).toEqual(order.map((row) => row.id));
    expect(new Set(ids)).toEqual(new Set(stored.map((event) => event.id)));
    expect(position?.eventId).toBe(ids[ids.length - 1]);
  });

  it('resumes after a cursor with exactly the rows stored since', async () => {
    const before = await readAll(undefined, 100);
    const cursor = encodeCursor(before.position);
    const added = await storeCalls(3);

    const after = await readAll(decodeCursor(cursor), 2);
    expect(after.ids.sort()).toEqual(added.map((event) => event.id).sort());
    expect((await readAll(after.position, 2)).ids).toEqual([]);
  });

  it('holds back rows younger than the settle window, and returns them once settled', async () => {
    const { position } = await readAll(undefined, 1000);
    const added = await storeCalls(1);

    const early = await readExportPage(read, position, { limit: 10, settleMs: 60_000 });
    expect(early.rows).toEqual([]);
    expect(early.next).toEqual(position);
    expect((await readAll(position, 10)).ids.sort()).toEqual(added.map((event) => event.id).sort());
  });

  it('starts at a time given as --since', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const added = await storeCalls(2);

    expect((await readAll(decodeCursor(since), 3)).ids.sort()).toEqual(added.map((event) => event.id).sort());
  });

  it('formats page by page, each page saying where the next export resumes', async () => {
    const pages = [];
    for await (const page of exportPages({ read, after: undefined, format: recordFormatter('ocsf', { productVersion: 'test' }), pageSize: 7, settleMs: 0 })) pages.push(page);
    const lines = pages.map((page) => page.text).join('').trimEnd().split('\n').map((line) => JSON.parse(line) as { metadata: { uid: string } });

    // Each call: received and completed as API Activity, and its verdict's one finding.
    expect(pages.reduce((sum, page) => sum + page.rows, 0)).toBe(stored.length);
    expect(lines).toHaveLength(stored.length);
    expect(pages.slice(0, -1).every((page) => page.rows === 7)).toBe(true);
    const last = pages[pages.length - 1]!.next;
    expect(last?.eventId).toBe((await readAll(undefined, 1000)).position?.eventId);
    const more = exportPages({ read, after: last, format: () => 'x', settleMs: 0 });
    expect((await more.next()).done).toBe(true);
  });
});
