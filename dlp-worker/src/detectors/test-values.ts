import { VALUE_NORMALIZERS } from '../value-normalizers.ts';

/**
 * Values published as test data by card networks, payment processors and standards bodies
 * (normalized as their detectors normalize). Profiles with `ignore_test_values: true` skip them.
 */
export const TEST_VALUES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [
    'payment_card',
    new Set(
      [
        '4111111111111111', '4242424242424242', '4012888888881881', '4000056655665556', '4222222222222',
        '5555555555554444', '5105105105105100', '2223003122003222', '5200828282828210',
        '378282246310005', '371449635398431', '6011111111111117', '6011000990139424',
        '3056930009020004', '36227206271667', '3566002020360505', '6200000000000005',
      ].map(VALUE_NORMALIZERS.digits),
    ),
  ],
  ['iban', new Set(['GB82WEST12345698765432', 'DE89370400440532013000', 'FR1420041010050500013M02606'])],
  ['us_ssn', new Set(['123456789'])],
]);
