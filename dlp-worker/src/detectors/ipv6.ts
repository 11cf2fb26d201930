import { isIPv6 } from 'node:net';
import type { Detector } from '../detector.ts';

const HEX = '[0-9A-Fa-f]{1,4}';

/** Needs three groups or more: `a::b` and `dead::beef` are C++ scopes far more often than addresses. */
export const ipv6: Detector = {
  id: 'ipv6',
  type: 'pii',
  description: 'An IPv6 address, full or compressed (::), with at least three groups.',
  pattern:
    `(?:^|[^0-9A-Za-z:.])(?P<value>(?:${HEX}:){7}${HEX}|(?:${HEX}:){1,6}:(?:${HEX}(?::${HEX}){0,5})?|::${HEX}(?::${HEX}){1,6})` +
    '(?:$|[^0-9A-Za-z:])',
  // A compressed form has ::, a full one eight groups (so at least four in a row).
  prefilter: '::|[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]',
  validate: (value) => isIPv6(value) && value.split(':').filter((group) => group !== '').length >= 3 && value !== '::1',
  confidence: 0.85,
  positives: ['client 2001:db8:85a3::8a2e:370:7334', 'ip=fe80::1ff:fe23:4567:890a', '2001:0db8:0000:0000:0000:ff00:0042:8329'],
  negatives: [
    { text: 'at 10:22:33', reason: 'a time of day' },
    { text: 'std::vector::size', reason: 'C++ scopes' },
    { text: 'dead::beef', reason: 'only two groups' },
    { text: 'mac 00:1A:2B:3C:4D:5E', reason: 'a MAC address: six two-digit groups without ::' },
  ],
};
