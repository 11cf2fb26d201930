import { describe, expect, it } from 'vitest';
import { DETECTOR_TYPES } from '../src/detector.ts';
import { builtInDetectors, builtInDetectorIds } from '../src/detectors/index.ts';
import { MAX_PATTERNS_PER_SET } from '../src/text-scanner.ts';
import { findAll } from './support/engine.ts';

// Every example runs through the real engine (joined-text scan, context, member names, thresholds)
// with every detector enabled, as gitleaks runs its rules' examples.
describe.each(builtInDetectors.map((detector) => [detector.id, detector] as const))('detector %s', (_id, detector) => {
  const textPositives = detector.positives.filter((example): example is string => typeof example === 'string');
  const jsonPositives = detector.positives.filter((example) => typeof example !== 'string').map((example) => example.json);

  it.each(textPositives.map((text) => [text]))('finds a value in %j, as a string and as a member name', (text) => {
    for (const payload of [{ text }, { [text]: true }]) {
      const found = findAll(payload).filter((f) => f.detector === detector.id);
      expect(found.length, JSON.stringify(payload)).toBeGreaterThan(0);
      for (const finding of found) {
        expect(finding.type).toBe(detector.type);
        expect(finding.confidence).toBeGreaterThanOrEqual(detector.minConfidence ?? 0.5);
        expect(finding.end).toBeGreaterThan(finding.start);
        expect(finding.end).toBeLessThanOrEqual(text.length);
        expect(finding.hash).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  if (jsonPositives.length > 0) {
    it.each(jsonPositives.map((json) => [JSON.stringify(json), json]))('finds a value in the payload %s', (_name, json) => {
      expect(findAll(json).filter((f) => f.detector === detector.id).length).toBeGreaterThan(0);
    });
  }

  it.each(detector.negatives.map((negative) => [negative.reason, negative]))('finds nothing: %s', (_reason, negative) => {
    const payload = negative.json ?? { text: negative.text };
    expect(findAll(payload).filter((f) => f.detector === detector.id)).toEqual([]);
  });
});

describe('built-in registry', () => {
  it('has at least 40 detectors, sorted by id without duplicates, in every group', () => {
    expect(builtInDetectorIds.length).toBeGreaterThanOrEqual(40);
    expect(builtInDetectorIds).toEqual([...new Set(builtInDetectorIds)].sort());
    for (const type of DETECTOR_TYPES) expect(builtInDetectors.filter((d) => d.type === type).length, type).toBeGreaterThanOrEqual(5);
  });

  it('gives every detector a description and negative examples with reasons', () => {
    for (const detector of builtInDetectors) {
      expect(detector.description.length, detector.id).toBeGreaterThan(20);
      expect(detector.negatives.length, detector.id).toBeGreaterThan(0);
      for (const negative of detector.negatives) expect(negative.reason, detector.id).not.toBe('');
    }
  });

  it('keeps each RE2.Set shard within the size that stays fast', () => {
    expect(MAX_PATTERNS_PER_SET).toBeLessThanOrEqual(25);
  });
});
