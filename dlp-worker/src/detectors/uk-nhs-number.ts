import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { isValidNhsNumber } from '../validators/check-digits.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const isNhsNumber = (value: string) => isValidNhsNumber(VALUE_NORMALIZERS.digits(value));

const KEY_WORDS = ['nhs'];
const NEAR: AfterWordsOptions = { digits: true, gap: 16, outside: '[^0-9]' };

/** Grouped 3-3-4 it is also a North American phone number: "NHS" nearby or the member name decides. */
export const ukNhsNumber: Detector = {
  id: 'uk_nhs_number',
  type: 'health',
  description: 'A UK NHS number: ten digits (often 3-3-4) with a valid mod-11 check digit, after "NHS" or in a member so named.',
  pattern: afterWords(KEY_WORDS, '[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[0-9]', NEAR),
  validate: isNhsNumber,
  confidence: 0.95,
  keyed: { keys: ['nhs', 'nhsnumber', 'nhsno'], accepts: isNhsNumber, confidence: 0.95 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 4,
  positives: ['NHS number: 943 476 5919', 'nhs no 9434765870', { json: { nhs_number: '401 023 2137' } }],
  negatives: [
    { text: 'NHS number: 943 476 5918', reason: 'check digit fails' },
    { text: 'call 943 476 5919', reason: 'no NHS word: a phone-shaped number' },
  ],
};
