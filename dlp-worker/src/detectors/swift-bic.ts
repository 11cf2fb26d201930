import type { Detector } from '../detector.ts';
import { isIbanCountry } from '../validators/iban.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

/** Eight or eleven capitals are common words and codes; only "SWIFT" or "BIC" nearby makes them a bank code. */
const isBic = (value: string) => /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(value) && (isIbanCountry(value.slice(4, 6)) || value.slice(4, 6) === 'US');

const KEY_WORDS = ['swift(?: code)?', 'bic(?: code)?', 'swift/bic'];
const NEAR: AfterWordsOptions = { gap: 6 };

export const swiftBic: Detector = {
  id: 'swift_bic',
  type: 'financial',
  description: 'A SWIFT/BIC bank code (bank, ISO country, location, optional branch) next to "SWIFT" or "BIC".',
  pattern: afterWords(KEY_WORDS, '[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[A-Z]', NEAR),
  validate: isBic,
  confidence: 0.85,
  keyed: { keys: ['swift', 'bic', 'swiftcode', 'biccode', 'swiftbic'], accepts: isBic, confidence: 0.85 },
  positives: ['SWIFT: DEUTDEFF', 'BIC code COBADEFFXXX', { json: { swift_code: 'BOFAUS3N' } }],
  negatives: [
    { text: 'DEUTDEFF', reason: 'no SWIFT or BIC word nearby' },
    { text: 'SWIFT: ABCDQQ12', reason: 'QQ is not a country code' },
    { text: 'BIC: DEUTDE', reason: 'too short' },
  ],
};
