import { describe, expect, it } from 'vitest';
import { createGroupCommit, type GroupableInsert } from '../src/group-commit.ts';

const insert = (token: string, rows: number, month = '2026-12'): GroupableInsert => ({ month, insert: { rows, token } });

function recordingSend(fail?: (tokens: string[]) => boolean) {
  const sent: Array<{ tokens: string[]; token: string }> = [];
  const send = async (group: readonly GroupableInsert[], token: string) => {
    const tokens = group.map((entry) => entry.insert.token);
    sent.push({ tokens, token });
    if (fail?.(tokens)) throw new Error('ClickHouse went away');
  };
  return { sent, send };
}

describe('group commit', () => {
  it('sends the inserts made ready in one turn as one insert, of one month and at most maxRows rows', async () => {
    const { sent, send } = recordingSend();
    const commit = createGroupCommit(send, 100);

    await Promise.all([
      commit.store(insert('a', 40)),
      commit.store(insert('b', 40)),
      commit.store(insert('c', 40)),
      commit.store(insert('d', 10, '2027-01')),
    ]);

    expect(sent.map((group) => group.tokens)).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('keeps an insert sent alone under its own token, and gives a group a token that depends on every member', async () => {
    const { sent, send } = recordingSend();
    const commit = createGroupCommit(send, 100);

    await commit.store(insert('a', 1));
    await Promise.all([commit.store(insert('a', 1)), commit.store(insert('b', 1))]);
    await Promise.all([commit.store(insert('a', 1)), commit.store(insert('c', 1))]);

    expect(sent[0]!.token).toBe('a');
    expect(sent[1]!.token).toMatch(/^group\/[0-9a-f]{48}$/);
    expect(sent[2]!.token).not.toBe(sent[1]!.token);
  });

  it('fails every insert of a group whose send failed, and only those', async () => {
    const { send } = recordingSend((tokens) => tokens.includes('a'));
    const commit = createGroupCommit(send, 2);

    const results = await Promise.allSettled([commit.store(insert('a', 1)), commit.store(insert('b', 1)), commit.store(insert('c', 1))]);

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('holds the inserts that get ready while one is in flight, and sends them together once it is acknowledged', async () => {
    const sent: string[][] = [];
    let acknowledge = () => {};
    const commit = createGroupCommit(async (group) => {
      sent.push(group.map((entry) => entry.insert.token));
      if (sent.length === 1) await new Promise<void>((resolve) => (acknowledge = resolve));
    }, 100);

    const first = commit.store(insert('a', 1));
    await new Promise((resolve) => setImmediate(resolve));
    // Ready in different turns, as batches prepared on another thread come back.
    const later = [commit.store(insert('b', 1))];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(commit.store(insert('c', 1)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual([['a']]);

    acknowledge();
    await Promise.all([first, ...later]);
    expect(sent).toEqual([['a'], ['b', 'c']]);
  });
});

