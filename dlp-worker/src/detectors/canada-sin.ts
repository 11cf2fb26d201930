import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { passesLuhn } from '../validators/luhn.ts';
import { delimited } from './pattern-parts.ts';

/** First digit 0 is never issued, 8 is for business numbers. */
const isSin = (value: string) => {
  const digits = VALUE_NORMALIZERS.digits(value);
  return digits.length === 9 && digits[0] !== '0' && digits[0] !== '8' && passesLuhn(digits);
};

/** Nine Luhn-valid digits are one number in ten; confidence reaches the default minimum only with "SIN" nearby. */
export const canadaSin: Detector = {
  id: 'canada_sin',
  type: 'national_id',
  description: 'A Canadian Social Insurance Number: NNN-NNN-NNN or NNN NNN NNN with a valid Luhn checksum, next to "SIN" or "social insurance".',
  pattern: delimited('[0-9]{3}[ -][0-9]{3}[ -][0-9]{3}', '[^0-9-]'),
  prefilter: '(?:^|[^0-9-])[0-9]{3}[ -][0-9]{3}[ -][0-9]{3}(?:$|[^0-9-])',
  validate: isSin,
  confidence: 0.3,
  context: { words: ['sin', 'social insurance', 'nas', 'assurance sociale'], confidence: 0.9 },
  keyed: { keys: ['sin', 'socialinsurancenumber'], accepts: isSin, confidence: 0.9 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 3,
  positives: ['SIN: 130-692-544', 'social insurance number 130 692 544', { json: { sin: '130 692 544' } }],
  negatives: [
    { text: 'SIN: 130-692-545', reason: 'Luhn checksum fails' },
    { text: 'ref 130-692-544', reason: 'no SIN word: too common a shape alone' },
    { text: 'SIN: 046-454-286', reason: 'first digit 0 is never assigned (the documentation sample)' },
    { text: 'SIN: 846-454-283', reason: 'first digit 8 is for business numbers' },
  ],
};
