import { z } from 'zod';
import { DETECTOR_TYPES, type Detector } from './detector.ts';
import { DetectorIdSchema } from './custom-detectors.ts';
import type { KeyedHasher } from './keyed-hash.ts';
import { VALUE_NORMALIZERS, ValueNormalizerSchema } from './value-normalizers.ts';

/**
 * A list of known values (customer ids, project code names) stored only as keyed hashes: the
 * config never holds the values. Candidates of the list's shape (`pattern`) are normalized,
 * hashed with the DLP key and looked up. `gatehouse dlp hash` computes the entries.
 */
export const ExactListSchema = z
  .object({
    id: DetectorIdSchema,
    type: z.enum(DETECTOR_TYPES),
    description: z.string().default('An exact-match list from the config.'),
    /** RE2: the shape of candidate values, e.g. `CUS-[0-9]{8}`; a group named `value` narrows it. */
    pattern: z.string().min(1),
    normalize: ValueNormalizerSchema.default('none'),
    /** HMAC-SHA256(dlp key, normalized value) in lowercase hex. */
    hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (HMAC-SHA256)')).min(1),
    confidence: z.number().min(0).max(1).default(0.99),
  })
  .strict();
export type ExactListConfig = z.infer<typeof ExactListSchema>;

export function exactListDetector(list: ExactListConfig, hasher: KeyedHasher): Detector {
  const normalize = VALUE_NORMALIZERS[list.normalize];
  const hashes = new Set(list.hashes);
  return {
    id: list.id,
    type: list.type,
    description: list.description,
    pattern: list.pattern,
    validate: (value) => hashes.has(hasher.hash(normalize(value))),
    normalize,
    confidence: list.confidence,
    positives: [],
    negatives: [],
  };
}
