import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { passesVerhoeff } from '../validators/check-digits.ts';
import { STANDALONE_NUMBER_START, standaloneNumber } from './pattern-parts.ts';

const isAadhaar = (value: string) => {
  const digits = VALUE_NORMALIZERS.digits(value);
  return digits.length === 12 && passesVerhoeff(digits) && !/^(.)\1+$/.test(digits);
};

/** Twelve-digit numbers are common; grouped 4-4-4 or next to "Aadhaar" they are this. */
export const indiaAadhaar: Detector = {
  id: 'india_aadhaar',
  type: 'national_id',
  description: 'An Indian Aadhaar number: 12 digits not starting with 0 or 1, grouped 4-4-4 or contiguous, with a valid Verhoeff checksum.',
  // Twelve bare digits are any number; they count only right after an Aadhaar word.
  pattern: `${standaloneNumber('[2-9][0-9]{3} [0-9]{4} [0-9]{4}|[2-9][0-9]{3}-[0-9]{4}-[0-9]{4}')}|(?i:\\b(?:aadhaa?r|uid))[^0-9\\x00]{0,12}?(?P<value2>[2-9][0-9]{11})(?:$|[^0-9])`,
  // Either grouped form where a standalone number may start (not inside a UUID), or the key words the bare form needs.
  prefilter: `${STANDALONE_NUMBER_START}[2-9][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}|(?i:\\b(?:aadhaa?r|uid))`,
  validate: isAadhaar,
  confidence: 0.7,
  context: { words: ['aadhaar', 'aadhar', 'uidai', 'uid'], confidence: 0.95 },
  keyed: { keys: ['aadhaar', 'aadhar', 'aadhaarnumber', 'uid'], accepts: isAadhaar, confidence: 0.95 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 4,
  positives: ['Aadhaar: 2345 6789 0124', 'aadhar no 234567890124'],
  negatives: [
    { text: 'Aadhaar: 2345 6789 0125', reason: 'Verhoeff checksum fails' },
    { text: 'Aadhaar: 1345 6789 0124', reason: 'never starts with 1' },
    { text: 'order 234567890124', reason: 'no Aadhaar word: a 12-digit order number' },
    { text: 'IBAN ES96 2345 6789 0124 1122 8551', reason: 'four groups inside a longer grouped number' },
  ],
};
