import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { delimited } from './pattern-parts.ts';

/** The key is 97 minus the 13-digit number mod 97; Corsica's 2A and 2B count as 19 and 18. */
function isValidNir(value: string): boolean {
  const compact = value.replace(/ /g, '');
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  if (!/^[0-9]{13}$/.test(body)) return false;
  return 97 - Number(BigInt(body) % 97n) === Number(compact.slice(13));
}

export const franceNir: Detector = {
  id: 'france_nir',
  type: 'national_id',
  description: 'A French social security number (NIR/INSEE): sex, year, month, department, commune, order and a valid mod-97 key, optionally spaced.',
  pattern: delimited('[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}', '[^0-9A-Za-z]'),
  prefilter: '(?:^|[^0-9A-Za-z])[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[AB]) ?[0-9]{3}',
  validate: isValidNir,
  confidence: 0.85,
  context: { words: ['nir', 'insee', 'securite sociale', 'sécurité sociale', 'secu', 'numéro de sécurité'], confidence: 0.97 },
  normalize: VALUE_NORMALIZERS.alphanumeric,
  positives: ['NIR: 1 84 12 76 451 089 46', 'insee 184127645108946', 'n° 2 55 08 2A 123 456 46'],
  negatives: [
    { text: 'NIR: 1 84 12 76 451 089 47', reason: 'key does not match' },
    { text: 'id 384127645108946', reason: 'first digit must be 1 or 2' },
  ],
};
