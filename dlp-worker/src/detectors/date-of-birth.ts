import type { Detector } from '../detector.ts';
import { isPlausibleBirthDate } from '../validators/dates.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\\.?';
const DATE =
  '[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}' +
  '|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}' +
  `|[0-9]{1,2}(?:st|nd|rd|th)? ${MONTH},? [0-9]{4}` +
  `|${MONTH} [0-9]{1,2}(?:st|nd|rd|th)?,? [0-9]{4}`;

const KEY_WORDS = ['dob', 'd\\.o\\.b\\.?', 'date of birth', 'birth ?date', 'born(?: on)?', 'birthday', 'geburtsdatum', 'date de naissance'];
const NEAR: AfterWordsOptions = { gap: 6 };

/** A date is a birth date only in context: after "born" or "date of birth", or in a member so named. */
export const dateOfBirth: Detector = {
  id: 'date_of_birth',
  type: 'pii',
  description: 'A date of birth: a real calendar date in a common format after "DOB", "date of birth", "born" or "birthday", or in a member so named.',
  pattern: afterWords(KEY_WORDS, DATE, NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[0-9ADFJMNOS]', NEAR),
  validate: (value) => isPlausibleBirthDate(value),
  confidence: 0.9,
  keyed: {
    keys: ['dob', 'dateofbirth', 'birthdate', 'birthday', 'birthdt', 'bday'],
    accepts: (value) => value.length <= 30 && isPlausibleBirthDate(value),
    confidence: 0.9,
  },
  positives: ['DOB: 1985-03-12', 'born on 12/03/1985', 'Date of birth 3 March 1985', 'birthday: March 3, 1985', { json: { date_of_birth: '1990-07-21' } }],
  negatives: [
    { text: 'created 1985-03-12', reason: 'a date without a birth word' },
    { text: 'DOB: 1985-02-30', reason: 'no such calendar date' },
    { text: 'dob: 2999-01-01', reason: 'in the future' },
    { json: { created_at: '1990-07-21' }, reason: 'member name says nothing about birth' },
  ],
};
