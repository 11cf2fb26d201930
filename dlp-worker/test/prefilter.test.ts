import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import type { Detector } from '../src/detector.ts';
import { createDetectorRegistry } from '../src/detector-registry.ts';
import { builtInDetectors } from '../src/detectors/index.ts';
import { createKeyedIndex } from '../src/keyed-detection.ts';
import { collectPayloadTexts } from '../src/payload-texts.ts';
import { CHUNK_BYTES } from '../src/prefilter.ts';
import { createTextScanner, type TextMatch } from '../src/text-scanner.ts';
import { generateCorpus } from './corpus/generate-corpus.ts';

// The prefilter only chooses which strings each detector's pattern meets; these tests check that
// it never changes what is found. The reference is the scan without prefilters (every detector's
// pattern in RE2.Set shards over the whole joined text), run on the same texts.
const withPrefilter = createTextScanner(builtInDetectors);
const reference = createTextScanner(builtInDetectors, { prefilter: false });

const describeMatches = (matches: readonly TextMatch[]) => matches.map((m) => `${m.detector.id}@${m.text}:${m.start}-${m.end}`).sort();

function expectSameMatches(texts: readonly string[]): TextMatch[] {
  const expected = reference.scanTexts(texts);
  expect(describeMatches(withPrefilter.scanTexts(texts))).toEqual(describeMatches(expected));
  return expected;
}

function textsOf(payload: unknown): string[] {
  const collected = collectPayloadTexts(payload, { maxChars: 1 << 24, decodeEncoded: true, places: false, names: createKeyedIndex([]) });
  if ('oversize' in collected) throw new Error('unexpected oversize');
  return collected.texts.chunks.flat();
}

const examplesOf = (detector: Detector) => [
  ...detector.positives.map((example) => (typeof example === 'string' ? [example] : textsOf(example.json))),
  ...detector.negatives.map((negative) => (negative.text !== undefined ? [negative.text] : textsOf(negative.json))),
];

/** The bytes a match's value can see: its text with the NUL separators around it, as the scanner joins them. */
function windowOf(texts: readonly string[], text: number): string {
  return `${text > 0 ? '\0' : ''}${texts[text]}${text < texts.length - 1 ? '\0' : ''}`;
}

/** Every match of every detector contains a match of that detector's prefilter, in the match's own text. */
function expectPrefiltersHold(texts: readonly string[], matches: readonly TextMatch[]): void {
  for (const match of matches) {
    const prefilter = new RE2(match.detector.prefilter!);
    expect(prefilter.test(windowOf(texts, match.text)), `${match.detector.id} in ${JSON.stringify(texts[match.text])}`).toBe(true);
  }
}

describe('prefilters', () => {
  it('are given for every built-in detector', () => {
    expect(builtInDetectors.filter((detector) => detector.prefilter === undefined).map((detector) => detector.id)).toEqual([]);
  });

  it.each(builtInDetectors.map((detector) => [detector.id, detector] as const))('change nothing on the examples of %s', (_id, detector) => {
    for (const texts of examplesOf(detector)) expectPrefiltersHold(texts, expectSameMatches(texts));
  });

  it('change nothing when every example of every detector is scanned as one payload', () => {
    const texts = builtInDetectors.flatMap((detector) => examplesOf(detector).flat());
    const matches = expectSameMatches(texts);
    expect(new Set(matches.map((match) => match.detector.id)).size).toBe(builtInDetectors.length);
    expectPrefiltersHold(texts, matches);
  });

  it('change nothing on the labeled accuracy corpus, payload by payload and all at once', () => {
    const corpus = generateCorpus({ seed: 20260301, samples: 2000 });
    const all: string[] = [];
    let found = 0;
    for (const sample of corpus) {
      const texts = textsOf(sample.payload);
      const matches = expectSameMatches(texts);
      expectPrefiltersHold(texts, matches);
      found += matches.length;
      all.push(...texts);
    }
    expect(found).toBeGreaterThan(1000);
    expectSameMatches(all);
  });

  it('change nothing at string edges, across separators, with non-ASCII text and Unicode case folding', () => {
    const positives = builtInDetectors.flatMap((detector) => detector.positives.filter((example): example is string => typeof example === 'string'));
    const variants = positives.flatMap((example) => [
      example,
      ` ${example} `,
      `-${example}-`,
      `é${example}ü`,
      `${example}\0${example}`,
      example.toUpperCase(),
      example.toLowerCase(),
      // RE2 folds ſ (long s) to s and K (Kelvin sign) to k under (?i).
      example.replace(/s/g, '\u017f').replace(/k/g, '\u212a'),
      `😀 ${example.slice(0, Math.ceil(example.length / 2))}`,
      example.slice(Math.floor(example.length / 2)),
    ]);
    const matches = expectSameMatches(['', ...variants, '']);
    expectPrefiltersHold(['', ...variants, ''], matches);
    for (let i = 0; i < variants.length; i += 7) expectSameMatches(variants.slice(i, i + 7));
  });

  it('change nothing at the edges of the chunks a long payload is tested in', () => {
    const positives = builtInDetectors.flatMap((detector) => detector.positives.filter((example): example is string => typeof example === 'string'));
    const filler = (length: number) => 'order shipped on schedule, '.repeat(Math.ceil(length / 27)).slice(0, length);
    // A filler of at least a chunk ends the chunk it is in: each example then starts a chunk, or
    // (one character shorter) ends one.
    for (const length of [CHUNK_BYTES, CHUNK_BYTES + 1, CHUNK_BYTES - 1]) {
      const texts = positives.flatMap((example) => [filler(length - (length < CHUNK_BYTES ? example.length + 1 : 0)), example]);
      const matches = expectSameMatches(texts);
      expect(new Set(matches.map((match) => match.detector.id)).size).toBeGreaterThan(builtInDetectors.length * 0.8);
    }
    // A NUL inside a string may end a chunk as well: examples right after one, mid-string.
    const withNuls = positives.map((example, i) => `${filler(CHUNK_BYTES - 40 + (i % 80)).replace(/ /g, '\0')}\0${example}`);
    expectSameMatches(withNuls);
  });

  it('keep a private key that runs over the separator inside its own string', () => {
    const texts = ['-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKfake', 'next -----END RSA PRIVATE KEY-----', 'ssn 123-45-6789'];
    expect(expectSameMatches(texts).filter((match) => match.detector.id === 'pem_private_key')).toEqual([
      expect.objectContaining({ text: 0, start: 0, end: texts[0]!.length }),
    ]);
  });

  it('leave detectors without a prefilter to the RE2.Set shards', () => {
    const custom: Detector = {
      id: 'ticket_ref',
      type: 'pii',
      description: 'a custom detector without a prefilter',
      pattern: '(?:^|[^A-Z0-9])(?P<value>TCK-[0-9]{6})(?:$|[^0-9])',
      confidence: 0.9,
      positives: ['TCK-123456'],
      negatives: [],
    };
    const scanner = createTextScanner(createDetectorRegistry([...builtInDetectors, custom], { requireExamples: false }));
    const found = scanner.scanTexts(['see TCK-123456 and ssn 123-45-6789']).map((match) => match.detector.id).sort();
    expect(found).toEqual(['ticket_ref', 'us_ssn']);
  });

  it('are refused when RE2 rejects them or they match the empty string', () => {
    const base = builtInDetectors.find((detector) => detector.id === 'us_ssn')!;
    expect(() => createDetectorRegistry([{ ...base, prefilter: '(?<=a)b' }])).toThrow(/RE2 rejects the prefilter/);
    expect(() => createDetectorRegistry([{ ...base, prefilter: '[0-9]*' }])).toThrow(/matches the empty string/);
  });
});
