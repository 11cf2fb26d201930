import type { Detector } from '../detector.ts';
import { delimited } from './pattern-parts.ts';

/** Check digit: (d1 + d3 + d5) + 2 × (d2 + d4 + d6), last digit. */
function isDeaNumber(value: string): boolean {
  const d = [...value.slice(2)].map(Number);
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
  return sum % 10 === d[6];
}

export const usDeaNumber: Detector = {
  id: 'us_dea_number',
  type: 'health',
  description: 'A US DEA registration number: a registrant-type letter, a letter (or 9), seven digits with a valid check digit.',
  pattern: delimited('[ABCDEFGHJKLMPRSTUX][A-Z9][0-9]{7}'),
  prefilter: '(?:^|[^A-Za-z0-9])[ABCDEFGHJKLMPRSTUX][A-Z9][0-9]{7}(?:$|[^A-Za-z0-9])',
  validate: isDeaNumber,
  confidence: 0.75,
  context: { words: ['dea', 'prescriber', 'registration'], confidence: 0.95 },
  positives: ['DEA: AB1234563', 'prescriber FM1234563'],
  negatives: [
    { text: 'DEA: AB1234567', reason: 'check digit fails' },
    { text: 'DEA: ZB1234563', reason: 'Z is no registrant type' },
    { text: 'part AB12345631', reason: 'part of a longer token' },
  ],
};
