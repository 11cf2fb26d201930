import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { isValidBsn } from '../validators/check-digits.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const isBsn = (value: string) => isValidBsn(VALUE_NORMALIZERS.digits(value));

const KEY_WORDS = ['bsn', 'burgerservicenummer', 'sofinummer', 'sofi'];
const NEAR: AfterWordsOptions = { digits: true, gap: 12, outside: '[^0-9]' };

/** One nine-digit number in eleven passes the 11-proof, so the word is required. */
export const netherlandsBsn: Detector = {
  id: 'netherlands_bsn',
  type: 'national_id',
  description: 'A Dutch citizen service number (BSN): nine digits passing the 11-proof, after "BSN", "burgerservicenummer" or "sofinummer".',
  pattern: afterWords(KEY_WORDS, '[0-9]{9}|[0-9]{4}\\.[0-9]{2}\\.[0-9]{3}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[0-9]', NEAR),
  validate: isBsn,
  confidence: 0.9,
  keyed: { keys: ['bsn', 'burgerservicenummer', 'sofinummer'], accepts: isBsn, confidence: 0.9 },
  normalize: VALUE_NORMALIZERS.digits,
  positives: ['BSN: 111222333', 'burgerservicenummer 1234.56.782', { json: { bsn: '123456782' } }],
  negatives: [
    { text: 'BSN: 111222334', reason: '11-proof fails' },
    { text: 'order 111222333', reason: 'no BSN word' },
  ],
};
