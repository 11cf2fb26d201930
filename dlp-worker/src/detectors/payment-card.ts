import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { cardBrandOf } from '../validators/card-brand.ts';
import { passesLuhn } from '../validators/luhn.ts';
import { STANDALONE_NUMBER_START, standaloneNumber } from './pattern-parts.ts';

/**
 * Separated numbers are matched only in the groupings cards are printed in (4-4-4-4, and 4-6-5 or
 * 4-6-4 for Amex and Diners): a looser "any digit, optional separator" pattern greedily swallows
 * a neighbouring number and then fails the checksum, missing the card.
 */
export const paymentCard: Detector = {
  id: 'payment_card',
  type: 'financial',
  description:
    'A payment card number (PAN): 13 to 19 digits, contiguous or grouped with spaces or dashes, with a known network prefix and length and a valid Luhn checksum.',
  pattern: standaloneNumber('[2-6][0-9]{12,18}|[2-6][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{4}|3[0-9]{3}[ -][0-9]{6}[ -][0-9]{4,5}'),
  validate(match) {
    const digits = VALUE_NORMALIZERS.digits(match);
    return cardBrandOf(digits) !== undefined && passesLuhn(digits);
  },
  // The pattern's start and the shortest form of each layout: a looser one matches inside UUIDs.
  prefilter: `${STANDALONE_NUMBER_START}(?:[2-6][0-9]{12}|[2-6][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{4}|3[0-9]{3}[ -][0-9]{6}[ -][0-9]{4})`,
  confidence: 0.9,
  context: { words: ['card', 'card number', 'visa', 'mastercard', 'amex', 'credit', 'debit', 'pan', 'cc'], confidence: 0.98 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 4,
  positives: [
    'card 4111111111111111 exp 12/29',
    '5555 5555 5555 4444',
    'amex: 3782 822463 10005',
    '6011-1111-1111-1117',
    '2223003122003222',
    'jcb 3530111333300000.',
    'old visa 4222222222222',
    'diners 3056 930902 5904',
    '4111111111111111,5555555555554444',
  ],
  negatives: [
    { text: 'card 4111111111111112', reason: 'Luhn checksum fails' },
    { text: 'id 6999999999999991', reason: 'Luhn-valid but no network issues the prefix 69' },
    { text: 'ref 411111111111116', reason: 'Visa prefix with a length Visa never issues (15)' },
    { text: 'trace 41111111111111112220', reason: 'part of a longer digit run (20 digits)' },
    { text: '4111 1111 1111', reason: 'only 12 digits' },
    { text: 'ts 1718035200000', reason: 'millisecond timestamp: no network prefix starts with 1' },
    { text: '4111 11111111 1111', reason: 'not a grouping cards are printed in' },
    { text: 'IBAN ES08 4111 1111 1111 1111 4688', reason: 'four groups inside a longer grouped number' },
    { text: 'xoxb-705383422542-4189209319802-OgF2QqtOs', reason: 'a digit run inside a dash-joined token' },
  ],
};
