import type { Detector } from '../detector.ts';
import { delimited } from './pattern-parts.ts';

/** The fourth letter is the holder type (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local, J juridical, G government). */
export const indiaPan: Detector = {
  id: 'india_pan',
  type: 'national_id',
  description: 'An Indian Permanent Account Number: five letters (the fourth a holder type), four digits, a letter.',
  pattern: delimited('[A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z]'),
  prefilter: '(?:^|[^A-Za-z0-9])[A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z](?:$|[^A-Za-z0-9])',
  validate: (value) => value.slice(5, 9) !== '0000',
  confidence: 0.7,
  context: { words: ['pan', 'permanent account', 'income tax'], confidence: 0.95 },
  positives: ['PAN: ABCPE1234F', 'pan card AAAPL1234C issued'],
  negatives: [
    { text: 'PAN: ABCXE1234F', reason: 'X is no holder type' },
    { text: 'PAN: ABCPE0000F', reason: 'serial 0000 is never issued' },
    { text: 'code ABCPE1234FG', reason: 'part of a longer token' },
  ],
};
