import { describe, expect, it } from 'vitest';
import { builtInDetectors } from '../src/detectors/index.ts';
import { createKeyedIndex } from '../src/keyed-detection.ts';
import { collectPayloadTexts, type PayloadTexts } from '../src/payload-texts.ts';

// The engine remembers member names from scan to scan; each walk must still list every name of
// its own payload once, and key the values under it, whatever earlier walks met.
const names = createKeyedIndex(builtInDetectors);

function collect(payload: unknown, places: boolean): PayloadTexts & { list: string[] } {
  const collected = collectPayloadTexts(payload, { maxChars: 1 << 24, decodeEncoded: false, places, names });
  if ('oversize' in collected) throw new Error('unexpected oversize');
  return { ...collected, list: collected.texts.chunks.flat() };
}

describe('member names remembered between walks', () => {
  it('lists a repeated name once per walk, in the next walk again, with its members', () => {
    const rows = { rows: [{ id: 'a', password: 'x' }, { id: 'b', password: 'y' }] };
    for (let walk = 0; walk < 3; walk++) {
      const collected = collect(rows, true);
      expect(collected.list).toEqual(['rows', 'id', 'a', 'password', 'x', 'b', 'y']);
      expect(collected.keyMembers.map((members) => members.length)).toEqual([1, 2, 2]);
      expect(collected.keyed.map(({ text }) => collected.texts.at(text))).toEqual(['x', 'y']);
    }
  });

  it('keeps each name once within a walk that meets more names than are remembered', () => {
    const wide = Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`field_${i}`, i]));
    const payload = { ...wide, repeated: [{ token: 'a' }, { token: 'b' }] };
    collect(payload, false);
    const collected = collect(payload, true);
    expect(collected.list.filter((text) => text === 'token')).toHaveLength(1);
    expect(collected.list.filter((text) => text === 'field_11999')).toHaveLength(1);
    expect(collected.list).toHaveLength(2 * 12_000 + 4);
    expect(collect({ token: 'c' }, false).list).toEqual(['token', 'c']);
  });
});
