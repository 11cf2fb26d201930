import type { Detector } from '../detector.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

/** Passport formats differ by country; all are 6 to 9 letters and digits, at least two of them digits. */
const isPassportNumber = (value: string) => /^[A-Z0-9]{6,9}$/.test(value) && (value.match(/[0-9]/g)?.length ?? 0) >= 2;

const KEY_WORDS = ['passport(?: (?:no\\.?|number|num|#))?', 'reisepass(?:nummer)?', 'passeport'];
const NEAR: AfterWordsOptions = { gap: 6 };

export const passportNumber: Detector = {
  id: 'passport_number',
  type: 'national_id',
  description: 'A passport number (6 to 9 capitals and digits) after the word "passport", or in a member so named.',
  pattern: afterWords(KEY_WORDS, '[A-Z0-9]{6,9}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[A-Z0-9]', NEAR),
  validate: isPassportNumber,
  confidence: 0.85,
  keyed: { keys: ['passport', 'passportnumber', 'passportno', 'passportnum', 'passportid'], accepts: isPassportNumber, confidence: 0.9 },
  positives: ['passport no. 533380006', 'Passport: C01X00T47', { json: { passport_number: 'L898902C3' } }],
  negatives: [
    { text: 'passport office', reason: 'a word, not a number' },
    { text: 'passport: ABCDEFGH', reason: 'no digits' },
    { text: 'ticket 533380006', reason: 'no passport word' },
  ],
};
