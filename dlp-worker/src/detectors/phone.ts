import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';

/**
 * Needs a + prefix or NANP-style separators: bare digit runs are far more often ids, amounts or
 * timestamps than phone numbers. National formats of other countries are `phone_national`.
 */
export const phone: Detector = {
  id: 'phone',
  type: 'pii',
  description:
    'A phone number: E.164 or international with a + prefix (8 to 15 digits), or a North American number written with separators.',
  pattern:
    '(?:^|[^0-9A-Za-z_+])' +
    '(?P<value>' +
    '\\+[1-9](?:[ .()-]{0,2}[0-9]){7,14}' +
    '|(?:1[ .-]?)?(?:\\([2-9][0-9]{2}\\)[ .-]?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}' +
    ')' +
    '(?:$|[^0-9A-Za-z_])',
  // The start of the + form, or the area code, exchange and line every NANP form ends with.
  prefilter: '(?:^|[^0-9A-Za-z_+])\\+[1-9]|(?:\\([2-9][0-9]{2}\\)[ .-]?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}',
  confidence: 0.6,
  context: { words: ['phone', 'tel', 'telephone', 'mobile', 'cell', 'call', 'fax', 'sms', 'whatsapp', 'contact', 'ph'], confidence: 0.9 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 2,
  positives: [
    'call +1 415 555 2671 after nine',
    'office: (415) 555-2671',
    '415.555.2671',
    '+14155552671',
    'London +44 20 7946 0958',
    'Berlin: +49 (0)30 1234 5678',
    '1-800-555-0199',
  ],
  negatives: [
    { text: 'due 2024-01-15', reason: 'a date' },
    { text: 'order 4155552671', reason: 'a bare digit run without separators or + prefix' },
    { text: 'call 123-456-7890', reason: 'North American area codes never start with 1' },
    { text: 'ip 192.168.100.200', reason: 'an IPv4 address' },
    { text: 'card 4111 1111 1111 1111', reason: 'grouped in fours like a card, not like a phone number' },
    { text: 'ext +12 345', reason: 'too few digits for E.164' },
    { text: 'ssn 123-45-6789', reason: 'SSN grouping, not a phone number' },
  ],
};
