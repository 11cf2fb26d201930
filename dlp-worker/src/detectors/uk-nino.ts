import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { delimited } from './pattern-parts.ts';

/** Prefixes HMRC never allocates (administrative and temporary numbers). */
const EXCLUDED_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

/**
 * The first letter is not D, F, I, Q, U or V; the second not D, F, I, O, Q, U or V (both in the
 * pattern); the suffix is A-D.
 */
export const ukNino: Detector = {
  id: 'uk_nino',
  type: 'national_id',
  description: 'A UK National Insurance number: two prefix letters under HMRC rules, six digits, suffix A-D, optionally spaced.',
  pattern: delimited('[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]'),
  prefilter: '(?:^|[^A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?:$|[^A-Za-z0-9])',
  validate: (value) => !EXCLUDED_PREFIXES.has(value.slice(0, 2)),
  confidence: 0.8,
  context: { words: ['national insurance', 'nino', 'ni number', 'ni no'], confidence: 0.97 },
  normalize: VALUE_NORMALIZERS.alphanumeric,
  positives: ['NINO: AB123456C', 'National Insurance number JG 10 37 26 A'],
  negatives: [
    { text: 'NINO: GB123456A', reason: 'prefix GB is never allocated' },
    { text: 'NINO: DA123456A', reason: 'D is never a first letter' },
    { text: 'NINO: AB123456E', reason: 'suffix must be A-D' },
    { text: 'sku AB1234567C', reason: 'seven digits' },
  ],
};
