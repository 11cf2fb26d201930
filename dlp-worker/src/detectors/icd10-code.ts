import type { Detector } from '../detector.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const KEY_WORDS = ['icd-?10(?:-cm)?(?: code)?', 'diagnosis(?: code)?', 'dx', 'diagnosed with'];
const NEAR: AfterWordsOptions = { gap: 4 };

/** Codes like E11.9 are also part numbers and grid cells; only a diagnosis word makes them health data. */
export const icd10Code: Detector = {
  id: 'icd10_code',
  type: 'health',
  description: 'An ICD-10 diagnosis code (letter, two digits, optional decimal part) after "ICD-10", "diagnosis" or "dx".',
  pattern: afterWords(KEY_WORDS, '[A-TV-Z][0-9][0-9AB](?:\\.[0-9A-TV-Z]{1,4})?', NEAR),
  // The code's first three characters: "dx" starts many product codes.
  prefilter: afterWordsStart(KEY_WORDS, '[A-TV-Z][0-9][0-9AB]', NEAR),
  confidence: 0.85,
  keyed: {
    keys: ['icd10', 'icd10code', 'diagnosiscode', 'dxcode', 'icdcode'],
    accepts: (value) => /^[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?$/.test(value),
    confidence: 0.9,
  },
  positives: ['ICD-10: E11.9', 'diagnosis code F32.1 noted', { json: { diagnosis_code: 'J45.909' } }],
  negatives: [
    { text: 'cell E11 of the sheet', reason: 'no diagnosis word' },
    { text: 'ICD-10: U07', reason: 'U codes are reserved for special purposes' },
    { text: 'diagnosis pending', reason: 'no code' },
  ],
};
