import { describe, expect, it } from 'vitest';
import type { Detector } from '../src/detector.ts';
import { builtInDetectors } from '../src/detectors/index.ts';
import { createTextScanner } from '../src/text-scanner.ts';

function numbered(index: number, overrides: Partial<Detector> = {}): Detector {
  return {
    id: `word_${String(index).padStart(2, '0')}`,
    type: 'pii',
    description: 'matches one numbered word',
    pattern: `(?:^|[^a-z0-9])(?P<value>word${index})(?:$|[^a-z0-9])`,
    confidence: 0.5,
    positives: [`word${index}`],
    negatives: [],
    ...overrides,
  };
}

describe('createTextScanner', () => {
  it('finds matches in every shard when there are more patterns than one set holds', () => {
    const detectors = Array.from({ length: 60 }, (_, i) => numbered(i));
    const scanner = createTextScanner(detectors);
    const text = 'word3 word27 word59 word60';
    const found = scanner.scanText(text).map((m) => text.slice(m.start, m.end));
    expect(found).toEqual(['word3', 'word27', 'word59']);
  });

  it('gives the same matches whatever the shard size', () => {
    const text = 'mail a@example.com, card 4111 1111 1111 1111, ssn 123-45-6789, key AKIAZ7Q3JX4LMN2RTUVW';
    const describeMatches = (size: number) =>
      createTextScanner(builtInDetectors, { maxPatternsPerSet: size })
        .scanText(text)
        .map((m) => `${m.detector.id}:${m.start}-${m.end}`)
        .sort();
    const reference = describeMatches(25);
    expect(reference).toHaveLength(4);
    expect(describeMatches(1)).toEqual(reference);
    expect(describeMatches(4)).toEqual(reference);
  });

  it('does not run a detector whose keywords are all absent', () => {
    let validations = 0;
    const gated = numbered(1, {
      keywords: ['needle'],
      validate: () => {
        validations++;
        return true;
      },
    });
    const scanner = createTextScanner([gated]);
    expect(scanner.scanText('word1 without the keyword')).toEqual([]);
    expect(validations).toBe(0);
    expect(scanner.scanText('word1 with a NEEDLE')).toHaveLength(1);
    expect(validations).toBe(1);
  });

  it('runs only the enabled detectors', () => {
    const scanner = createTextScanner([numbered(1), numbered(2)]);
    const found = scanner.scanText('word1 word2', new Set(['word_02']));
    expect(found.map((m) => m.detector.id)).toEqual(['word_02']);
  });

  it('finds adjacent values that share one boundary character', () => {
    const scanner = createTextScanner(builtInDetectors);
    const text = '123-45-6789,536-22-1234';
    const found = scanner.scanText(text).map((m) => text.slice(m.start, m.end));
    expect(found).toEqual(['123-45-6789', '536-22-1234']);
  });

  it('finds a value that starts inside a rejected match', () => {
    const scanner = createTextScanner(builtInDetectors);
    const text = 'ssn 123-45-6789 4111 1111 1111 1111';
    const found = scanner.scanText(text).map((m) => `${m.detector.id}:${text.slice(m.start, m.end)}`);
    expect(found.sort()).toEqual(['payment_card:4111 1111 1111 1111', 'us_ssn:123-45-6789']);
  });

  it('refuses a shard size below 1', () => {
    expect(() => createTextScanner(builtInDetectors, { maxPatternsPerSet: 0 })).toThrow(RangeError);
  });
});
