import { describe, expect, it } from 'vitest';
import { builtInDetectors, builtInDetectorIds } from '../src/detectors/index.ts';
import type { DlpProfile } from '../src/profile.ts';
import { scanPayload } from '../src/scan-payload.ts';

/** Every built-in detector enabled, so examples run through the same scanner the worker uses. */
const everything: DlpProfile = {
  detectors: Object.fromEntries(builtInDetectorIds.map((id) => [id, 'audit' as const])),
  redaction: 'tag',
};

describe.each(builtInDetectors.map((detector) => [detector.id, detector] as const))('detector %s', (_id, detector) => {
  it.each(detector.positives.map((text) => [text]))('finds a value in %j', (text) => {
    for (const payload of [{ text }, { [text]: true }]) {
      const found = scanPayload(payload, everything).filter((f) => f.detector === detector.id);
      expect(found.length, JSON.stringify(payload)).toBeGreaterThan(0);
      for (const finding of found) {
        expect(finding.type).toBe(detector.type);
        expect(finding.confidence).toBe(detector.confidence);
        expect(finding.end).toBeGreaterThan(finding.start);
        expect(finding.end).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it.each(detector.negatives.map((negative) => [negative.reason, negative.text]))('finds nothing: %s', (_reason, text) => {
    const found = scanPayload({ text }, everything).filter((f) => f.detector === detector.id);
    expect(found).toEqual([]);
  });
});

describe('built-in registry', () => {
  it('is sorted by id without duplicates', () => {
    expect(builtInDetectorIds).toEqual([...new Set(builtInDetectorIds)].sort());
    expect(builtInDetectorIds).toEqual([
      'aws_access_key_id',
      'email',
      'payment_card',
      'pem_private_key',
      'phone',
      'us_ssn',
    ]);
  });

  it('gives every detector a negative example with a reason', () => {
    for (const detector of builtInDetectors) {
      expect(detector.negatives.length, detector.id).toBeGreaterThan(0);
      for (const negative of detector.negatives) expect(negative.reason, detector.id).not.toBe('');
    }
  });
});
