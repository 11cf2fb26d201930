import { describe, expect, it } from 'vitest';
import { createJoinSpace, joinTexts, textAt } from '../src/joined-texts.ts';
import { TEXTS_PER_CHUNK, TextList } from '../src/text-list.ts';

/** What a join must equal, computed the plain way: one string, one UTF-8 encoding, a UTF-8 length per text. */
function reference(texts: readonly string[]): { bytes: Buffer; starts: number[] } {
  const starts: number[] = [];
  let position = 0;
  for (const text of texts) {
    starts.push(position);
    position += Buffer.byteLength(text, 'utf8') + 1;
  }
  starts.push(position);
  return { bytes: Buffer.from(texts.join('\0'), 'utf8'), starts };
}

function expectJoined(texts: readonly string[], space = createJoinSpace()): void {
  const joined = joinTexts(TextList.of(texts), space);
  const expected = reference(texts);
  expect(joined.buffer.equals(expected.bytes)).toBe(true);
  expect(joined.ascii).toBe(expected.bytes.length === texts.join('\0').length);
  expect(Array.from(joined.byteStarts)).toEqual(expected.starts);
  for (let i = 0; i < texts.length; i += 97) expect(textAt(joined, expected.starts[i]!)).toBe(i);
}

const mixed = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    i % 1000 === 5 ? `naïve ${i}` : i % 1500 === 9 ? `😀${i}\ud800` : i % 2000 === 3 ? '' : `text number ${i}`,
  );

describe('TextList', () => {
  it('keeps every text at its index across chunks', () => {
    const texts = Array.from({ length: 2 * TEXTS_PER_CHUNK + 3 }, (_, i) => `text ${i}`);
    const list = TextList.of(texts);
    expect(list.length).toBe(texts.length);
    expect(list.chunks.map((chunk) => chunk.length)).toEqual([TEXTS_PER_CHUNK, TEXTS_PER_CHUNK, 3]);
    for (const i of [0, TEXTS_PER_CHUNK - 1, TEXTS_PER_CHUNK, 2 * TEXTS_PER_CHUNK + 2]) expect(list.at(i)).toBe(texts[i]);
    expect(list.push('next')).toBe(texts.length);
    expect(new TextList().chunks).toEqual([[]]);
  });
});

describe('joinTexts', () => {
  it('joins by NUL into UTF-8 and places every text, with and without non-ASCII text', () => {
    expectJoined(['only']);
    expectJoined(['a', '', 'b\0c', 'd']);
    expectJoined(mixed(300));
    expectJoined(Array.from({ length: 300 }, (_, i) => `ascii ${i}`));
    expectJoined(Array.from({ length: 300 }, (_, i) => `日本語 ${i}`));
  });

  it('gives the same bytes when a payload is joined a chunk at a time', () => {
    expectJoined(mixed(10_000));
    expectJoined(Array.from({ length: 9000 }, (_, i) => `ascii ${i}`));
    expectJoined(Array.from({ length: 2 * TEXTS_PER_CHUNK }, (_, i) => `ascii ${i}`));
  });

  it('reuses its space from join to join, growing it for a larger payload', () => {
    const space = createJoinSpace();
    expectJoined(mixed(10_000), space);
    expectJoined(['short', 'é'], space);
    expectJoined(Array.from({ length: 20_000 }, (_, i) => `日本語のテキスト ${i}`), space);
    expectJoined(mixed(50), space);
  });
});
