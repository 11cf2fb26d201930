import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { isValidIban } from '../validators/iban.ts';
import { delimited } from './pattern-parts.ts';

export const iban: Detector = {
  id: 'iban',
  type: 'financial',
  description: 'An International Bank Account Number: country code, check digits and account, with the length of its country and a valid mod-97 checksum.',
  pattern: delimited('[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?'),
  // The boundary, country, check digits and the two groups every IBAN has.
  prefilter: '(?:^|[^A-Za-z0-9])[A-Z]{2}[0-9]{2} ?[A-Z0-9]{4} ?[A-Z0-9]{4}',
  validate: (value) => isValidIban(VALUE_NORMALIZERS.alphanumeric(value)),
  confidence: 0.95,
  normalize: VALUE_NORMALIZERS.alphanumeric,
  maskKeep: 4,
  positives: ['IBAN: DE89 3704 0044 0532 0130 00', 'pay to GB82WEST12345698765432 today', 'NL91ABNA0417164300', 'FR14 2004 1010 0505 0001 3M02 606'],
  negatives: [
    { text: 'IBAN: DE89 3704 0044 0532 0130 01', reason: 'mod-97 check fails' },
    { text: 'GB82WEST1234569876543', reason: 'one character short of the British length (22)' },
    { text: 'XX89370400440532013000', reason: 'XX is no IBAN country' },
    { text: 'order AB12CDEF34567890', reason: 'order number in an IBAN-like shape, fails the checksum' },
  ],
};
