import { describe, expect, it } from 'vitest';
import { formatScores, scoreCorpus } from './corpus/evaluate.ts';
import { generateCorpus } from './corpus/generate-corpus.ts';
import { builtInEngine } from './support/engine.ts';

const MIN_PRECISION = 0.97;
const MIN_RECALL = 0.95;

// A seeded, labeled corpus of MCP-shaped payloads (database rows, tickets, emails, logs, config
// files, code, tool results): valid values from faker, checksum-invalid twins and look-alikes
// (UUIDs, digests, base64 blobs, versions, order numbers, timestamps, placeholders).
describe('accuracy on the labeled corpus', () => {
  const corpus = generateCorpus({ seed: 20260301, samples: 2000 });
  const engine = builtInEngine();
  const strict = engine.profile('strict')!;
  const scores = scoreCorpus(corpus, (payload) => {
    const result = engine.scan(payload, strict);
    return 'oversize' in result ? [] : result.findings;
  });

  it('is at least half negatives and covers every labeled detector', () => {
    expect(corpus.filter((sample) => sample.labels.length === 0).length).toBeGreaterThanOrEqual(corpus.length / 2 - 50);
    expect(new Set(corpus.map((sample) => sample.kind)).size).toBe(7);
    const labeled = new Set(corpus.flatMap((sample) => sample.labels.map((label) => label.detector)));
    expect(labeled.size).toBeGreaterThanOrEqual(19);
  });

  it(`reaches precision ${MIN_PRECISION} and recall ${MIN_RECALL} for every detector`, () => {
    console.info(`per-detector scores over ${corpus.length} payloads (strict profile):\n${formatScores(scores)}`);
    const below = [...scores]
      .filter(([, score]) => score.precision < MIN_PRECISION || score.recall < MIN_RECALL)
      .map(([detector, score]) => `${detector}: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`);
    expect(below).toEqual([]);
  });
});
