import { describe, expect, it } from 'vitest';
import { builtInDetectors } from '../src/detectors/index.ts';
import { TEST_VALUES } from '../src/detectors/test-values.ts';
import { createKeyedIndex } from '../src/keyed-detection.ts';
import { collectPayloadTexts } from '../src/payload-texts.ts';
import type { CompiledProfile } from '../src/profile.ts';
import { scanPayload, type ScanTools } from '../src/scan-payload.ts';
import { generateCorpus } from './corpus/generate-corpus.ts';
import { auditEverything, builtInEngine } from './support/engine.ts';

// A payload the first pass calls clean is never walked with places; one it does not is walked
// again and reuses the first pass's matches. These tests check that neither changes a finding:
// the reference walks every payload with places and decodes every string it can.
const engine = builtInEngine();
const tools: ScanTools = { scanner: engine.scanner, keyed: createKeyedIndex(engine.detectors), hasher: engine.hasher, testValues: TEST_VALUES };
const profiles: CompiledProfile[] = [auditEverything(engine), engine.profile('default')!, engine.profile('strict')!];

function expectSameFindings(payload: unknown): number {
  let found = 0;
  for (const profile of profiles) {
    const expected = scanPayload(payload, profile, tools, { firstPass: false });
    expect(scanPayload(payload, profile, tools)).toEqual(expected);
    found += expected.findings.length;
  }
  return found;
}

const examples = builtInDetectors.flatMap((detector) => [
  ...detector.positives.map((example) => (typeof example === 'string' ? example : example.json)),
  ...detector.negatives.map((negative) => negative.text ?? negative.json),
]);
const strings = examples.filter((example): example is string => typeof example === 'string');

describe('the first pass of a payload scan', () => {
  it('changes nothing on the labeled accuracy corpus', () => {
    let found = 0;
    for (const sample of generateCorpus({ seed: 20260315, samples: 600 })) found += expectSameFindings(sample.payload);
    expect(found).toBeGreaterThan(500);
  });

  it('changes nothing on every detector example, alone, nested, as a member name and encoded', () => {
    let found = 0;
    for (const example of examples) found += expectSameFindings(example);
    for (const text of strings) {
      found += expectSameFindings({ rows: [{ id: 1, note: text }], [text]: true });
      found += expectSameFindings([text, 'é', { x: [text] }]);
      found += expectSameFindings({ blob: Buffer.from(`note: ${text}`).toString('base64'), url: `https://x.example/?q=${encodeURIComponent(text)}` });
      found += expectSameFindings({ [Buffer.from(`key ${text}`).toString('base64')]: 'value' });
    }
    expect(found).toBeGreaterThan(2000);
  });

  it('changes nothing for values found only by member name, undefined members and numbers', () => {
    expect(expectSameFindings({ password: 'Qm7Xp2Lz9Rk!', rows: [{ apiKey: ['a8F3kL9mQ2xR7tV1'] }] })).toBeGreaterThan(0);
    expect(expectSameFindings({ '4111 1111 1111 1111': undefined, n: [4111111111111111, -0, 1e21, Number.NaN] })).toBeGreaterThan(0);
    expect(expectSameFindings({ routing_number: '021000021', note: 'nothing here' })).toBeGreaterThan(0);
  });

  it('changes nothing in a payload of many thousands of strings, ASCII and not', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: `row-${i}`,
      note: i % 7 === 0 ? `ünïcode ${i} 😀` : `plain note ${i}`,
      ...(i === 2999 ? { contact: 'jane.doe@example.com, ssn 123-45-6789' } : {}),
    }));
    expect(expectSameFindings({ rows })).toBeGreaterThan(0);
    expect(expectSameFindings({ rows: rows.slice(0, -1) })).toBe(0);
  });

  it('collects, without places, the texts and keyed values the walk with places collects', () => {
    const options = { maxChars: 1 << 24, decodeEncoded: false, names: tools.keyed };
    for (const sample of generateCorpus({ seed: 7, samples: 200 })) {
      const lean = collectPayloadTexts(sample.payload, { ...options, places: false });
      const placed = collectPayloadTexts(sample.payload, { ...options, places: true });
      if ('oversize' in lean || 'oversize' in placed) throw new Error('unexpected oversize');
      expect(lean.texts).toEqual(placed.texts);
      expect(lean.keyed).toEqual(placed.keyed);
      expect(lean.size).toBe(placed.size);
      expect(placed.owner).toHaveLength(placed.texts.length);
      expect(lean.owner).toEqual([]);
    }
  });
});
