import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

/** Campus prefixes the IRS has never assigned. */
const UNASSIGNED_PREFIXES = new Set(['00', '07', '08', '09', '17', '18', '19', '28', '29', '49', '69', '70', '78', '79', '89', '96', '97']);
const isEin = (value: string) => /^[0-9]{2}-?[0-9]{7}$/.test(value) && !UNASSIGNED_PREFIXES.has(value.slice(0, 2));

const KEY_WORDS = ['f?ein', 'employer identification(?: number)?', 'federal tax id'];
const NEAR: AfterWordsOptions = { digits: true, gap: 12, outside: '[^0-9-]' };

/** NN-NNNNNNN is also a common reference format; only an EIN word nearby makes it a tax id. */
export const usEin: Detector = {
  id: 'us_ein',
  type: 'national_id',
  description: 'A US Employer Identification Number (NN-NNNNNNN with an assigned prefix) after "EIN", "FEIN" or "employer identification number".',
  pattern: afterWords(KEY_WORDS, '[0-9]{2}-?[0-9]{7}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[0-9]', NEAR),
  validate: isEin,
  confidence: 0.85,
  keyed: { keys: ['ein', 'fein', 'employeridentificationnumber', 'federaltaxid'], accepts: isEin, confidence: 0.85 },
  normalize: VALUE_NORMALIZERS.digits,
  positives: ['EIN: 12-3456789', 'FEIN 953456789', { json: { ein: '45-1234567' } }],
  negatives: [
    { text: 'EIN: 07-3456789', reason: 'prefix 07 is not assigned' },
    { text: 'ref 12-3456789', reason: 'no EIN word nearby' },
    { text: 'protein 12-3456789', reason: '"ein" inside another word' },
  ],
};
