import { describe, expect, it } from 'vitest';
import type { Detector } from '../src/detector.ts';
import { builtInDetectors } from '../src/detectors/index.ts';
import { createTextScanner, type TextScanner } from '../src/text-scanner.ts';

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

const valuesIn = (scanner: TextScanner, texts: string[], enabled?: ReadonlySet<string>) =>
  scanner.scanTexts(texts, enabled).map((m) => `${m.detector.id}@${m.text}:${texts[m.text]!.slice(m.start, m.end)}`);

describe('createTextScanner', () => {
  it('finds matches in every shard when there are more patterns than one set holds', () => {
    const scanner = createTextScanner(Array.from({ length: 60 }, (_, i) => numbered(i)));
    expect(valuesIn(scanner, ['word3 word27 word59 word60'])).toEqual(['word_03@0:word3', 'word_27@0:word27', 'word_59@0:word59']);
  });

  it('gives the same matches whatever the shard size', () => {
    const text = 'mail a@example.com, card 4111 1111 1111 1111, ssn 123-45-6789, key AKIAZ7Q3JX4LMN2RTUVW';
    const describeMatches = (size: number) => valuesIn(createTextScanner(builtInDetectors, { maxPatternsPerSet: size }), [text]).sort();
    const reference = describeMatches(25);
    expect(reference).toHaveLength(4);
    expect(describeMatches(1)).toEqual(reference);
    expect(describeMatches(7)).toEqual(reference);
  });

  it('scans many texts in one pass and reports offsets within each text, also after non-ASCII texts', () => {
    const scanner = createTextScanner(builtInDetectors);
    const texts = ['😀 naïve café', 'ssn 123-45-6789', '', 'über 4111 1111 1111 1111 ✓', '536-22-1234'];
    expect(valuesIn(scanner, texts).sort()).toEqual(['payment_card@3:4111 1111 1111 1111', 'us_ssn@1:123-45-6789', 'us_ssn@4:536-22-1234']);
  });

  it('never joins two texts into one value', () => {
    const scanner = createTextScanner(builtInDetectors);
    expect(valuesIn(scanner, ['4111 1111', '1111 1111'])).toEqual([]);
    expect(valuesIn(scanner, ['123-45', '6789'])).toEqual([]);
  });

  it('keeps a match that could run over the separator inside its own text', () => {
    const scanner = createTextScanner(builtInDetectors);
    const texts = ['-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKfake', 'next -----END RSA PRIVATE KEY-----', 'ssn 123-45-6789'];
    const found = scanner.scanTexts(texts);
    const pem = found.filter((m) => m.detector.id === 'pem_private_key');
    expect(pem).toEqual([expect.objectContaining({ text: 0, start: 0, end: texts[0]!.length })]);
    expect(found.some((m) => m.detector.id === 'us_ssn' && m.text === 2)).toBe(true);
  });

  it('runs only the enabled detectors', () => {
    const scanner = createTextScanner([numbered(1), numbered(2)]);
    expect(valuesIn(scanner, ['word1 word2'], new Set(['word_02']))).toEqual(['word_02@0:word2']);
  });

  it('finds adjacent values that share one boundary character', () => {
    expect(valuesIn(createTextScanner(builtInDetectors), ['123-45-6789,536-22-1234'])).toEqual(['us_ssn@0:123-45-6789', 'us_ssn@0:536-22-1234']);
  });

  it('finds a value that starts inside a rejected match', () => {
    const pairs = numbered(9, { pattern: '(?P<value>[0-9]{4}-[0-9]{4})', validate: (value) => !value.startsWith('1') });
    expect(valuesIn(createTextScanner([pairs]), ['1234-5678-9012'])).toEqual(['word_09@0:5678-9012']);
  });

  it('returns nothing for no texts, and refuses a shard size below 1', () => {
    expect(createTextScanner(builtInDetectors).scanTexts([])).toEqual([]);
    expect(() => createTextScanner(builtInDetectors, { maxPatternsPerSet: 0 })).toThrow(RangeError);
  });
});
