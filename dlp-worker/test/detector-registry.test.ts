import { describe, expect, it } from 'vitest';
import type { Detector } from '../src/detector.ts';
import { createDetectorRegistry } from '../src/detector-registry.ts';

function detector(overrides: Partial<Detector>): Detector {
  return {
    id: 'sample',
    type: 'pii',
    description: 'a test detector',
    pattern: 'x+',
    confidence: 0.5,
    positives: ['xx'],
    negatives: [{ text: 'y', reason: 'no x' }],
    ...overrides,
  };
}

describe('createDetectorRegistry', () => {
  it('sorts detectors by id', () => {
    const registry = createDetectorRegistry([detector({ id: 'zeta' }), detector({ id: 'alpha' }), detector({ id: 'mid' })]);
    expect(registry.map((d) => d.id)).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('rejects duplicate ids, naming the id', () => {
    expect(() => createDetectorRegistry([detector({ id: 'dup' }), detector({ id: 'other' }), detector({ id: 'dup' })])).toThrow(
      expect.objectContaining({ code: 'GH_ERR_DLP_DETECTOR_DUPLICATE', message: expect.stringContaining('"dup"') }),
    );
  });

  it('rejects a pattern RE2 cannot compile, such as lookbehind', () => {
    expect(() => createDetectorRegistry([detector({ pattern: '(?<=a)b' })])).toThrow(
      expect.objectContaining({ code: 'GH_ERR_DLP_DETECTOR_INVALID', message: expect.stringContaining('RE2 rejects') }),
    );
  });

  it('rejects context words that are not lowercase', () => {
    expect(() => createDetectorRegistry([detector({ context: { words: ['SSN'], confidence: 0.9 } })])).toThrow(/must be non-empty and lowercase/);
  });

  it('requires examples of built-in detectors, but not of detectors from the config', () => {
    expect(() => createDetectorRegistry([detector({ negatives: [] })])).toThrow(/needs at least one positive and one negative example/);
    expect(createDetectorRegistry([detector({ positives: [], negatives: [] })], { requireExamples: false })).toHaveLength(1);
  });

  it('rejects ids that are not snake_case', () => {
    expect(() => createDetectorRegistry([detector({ id: 'Credit-Card' })])).toThrow(/snake_case/);
  });
});
