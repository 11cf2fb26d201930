import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const isNationalNumber = (value: string) => {
  const digits = VALUE_NORMALIZERS.digits(value);
  return digits.length >= 9 && digits.length <= 12 && !/^0(.)\1+$/.test(digits);
};

const KEY_WORDS = ['phone', 'tel', 'telephone', 'mobile', 'cell', 'fax', 'handy', 'telefon', 't[ée]l[ée]phone', 'portable'];
const NEAR: AfterWordsOptions = { digits: true, gap: 12, outside: '[^0-9]' };

/**
 * National formats with a trunk 0 (UK 020 7946 0958, 07700 900123; DE 030 12345678; FR 06 12 34
 * 56 78) look like any other number, so they count only after a phone word or in a member so named.
 */
export const phoneNational: Detector = {
  id: 'phone_national',
  type: 'pii',
  description: 'A phone number in a national format with a trunk 0 (UK, Germany, France, and the like) next to a phone word or in a phone member.',
  pattern: afterWords(KEY_WORDS, '0[1-9](?:[ -]?[0-9]){7,10}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '0', NEAR),
  validate: isNationalNumber,
  confidence: 0.85,
  keyed: { keys: ['phone', 'telephone', 'tel', 'mobile', 'cell', 'fax', 'phonenumber', 'mobilephone', 'mobilenumber'], accepts: (value) => /^0[1-9][0-9 -]{7,15}$/.test(value) && isNationalNumber(value), confidence: 0.85 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 2,
  positives: ['Tel: 020 7946 0958', 'mobile 07700 900123', 'Telefon: 030 12345678', 'portable : 06 12 34 56 78', { json: { phone: '0161 496 0000' } }],
  negatives: [
    { text: 'order 020 7946 0958', reason: 'no phone word nearby' },
    { text: 'phone: 0000000000', reason: 'one digit repeated' },
    { text: 'tel: 0123', reason: 'too short for a national number' },
  ],
};
