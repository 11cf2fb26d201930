import type { Detector } from '../detector.ts';
import { passesLuhn } from '../validators/luhn.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

/** The Luhn check of an NPI runs over the number prefixed with the card-issuer code 80840. */
const isNpi = (value: string) => /^[12][0-9]{9}$/.test(value) && passesLuhn(`80840${value}`);

const KEY_WORDS = ['npi', 'national provider identifier', 'national provider id'];
const NEAR: AfterWordsOptions = { digits: true, gap: 12, outside: '[^0-9]' };

export const usNpi: Detector = {
  id: 'us_npi',
  type: 'health',
  description: 'A US National Provider Identifier: ten digits starting with 1 or 2 with a valid Luhn check (prefix 80840), after "NPI".',
  pattern: afterWords(KEY_WORDS, '[12][0-9]{9}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[12]', NEAR),
  validate: isNpi,
  confidence: 0.9,
  keyed: { keys: ['npi', 'npinumber', 'providernpi'], accepts: isNpi, confidence: 0.9 },
  positives: ['NPI: 1234567893', 'provider npi 1245319599', { json: { npi: '1003000126' } }],
  negatives: [
    { text: 'NPI: 1234567890', reason: 'Luhn check with prefix 80840 fails' },
    { text: 'invoice 1234567893', reason: 'no NPI word' },
  ],
};
