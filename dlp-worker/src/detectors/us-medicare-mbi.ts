import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { delimited } from './pattern-parts.ts';

/** Letters exclude S, L, O, I, B and Z, so the identifier never reads as digits. */
const L = '[AC-HJKMNP-RT-Y]';
const A = '[AC-HJKMNP-RT-Y0-9]';

export const usMedicareMbi: Detector = {
  id: 'us_medicare_mbi',
  type: 'health',
  description: 'A US Medicare Beneficiary Identifier: 11 characters in the CMS layout (digit, letter, alphanumeric, digit, …) without S, L, O, I, B, Z.',
  pattern: delimited(`[1-9]${L}${A}[0-9]-?${L}${A}[0-9]-?${L}{2}[0-9]{2}`),
  // The whole shape: a shorter start of it is common in product codes and SKUs.
  prefilter: `(?:^|[^A-Za-z0-9])[1-9]${L}${A}[0-9]-?${L}${A}[0-9]-?${L}{2}[0-9]{2}(?:$|[^A-Za-z0-9])`,
  confidence: 0.75,
  context: { words: ['medicare', 'mbi', 'beneficiary'], confidence: 0.97 },
  normalize: VALUE_NORMALIZERS.alphanumeric,
  positives: ['Medicare MBI: 1EG4-TE5-MK73', 'mbi 1EG4TE5MK73'],
  negatives: [
    { text: 'MBI: 1SG4-TE5-MK73', reason: 'S is never used' },
    { text: 'MBI: 0EG4-TE5-MK73', reason: 'cannot start with 0' },
    { text: 'code 1EG4TE5MK7', reason: 'too short' },
  ],
};
