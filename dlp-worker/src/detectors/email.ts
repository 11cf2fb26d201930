import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';

export const email: Detector = {
  id: 'email',
  type: 'pii',
  description: 'An email address: a local part, @, and a domain with a top-level domain of letters.',
  pattern:
    '(?:^|[^A-Za-z0-9._%+-])' +
    '(?P<value>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24})' +
    '(?:$|[^A-Za-z0-9-])',
  // Retina image names (logo@2x.png) and message ids (<uuid@host>) are address-shaped but name nobody.
  // The @ with a local-part character before it and a domain character after it.
  prefilter: '[A-Za-z0-9._%+-]@[A-Za-z0-9]',
  validate: (value) => !/\.(?:png|jpe?g|gif|svg|webp)$/i.test(value) && !/^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})@/i.test(value),
  confidence: 0.95,
  normalize: VALUE_NORMALIZERS.lowercase,
  positives: [
    'contact: jane.doe@example.com',
    'Send it to ALICE+billing@mail.example.co.uk.',
    '<bob_smith@corp-mail.io>',
    'first.last@sub.domain.example.org,second@example.net',
  ],
  negatives: [
    { text: 'jane.doe at example.com', reason: 'no @ sign' },
    { text: 'ssh user@localhost', reason: 'no top-level domain' },
    { text: 'mention @example.com', reason: 'no local part' },
    { text: 'jane@example.c', reason: 'one-letter top-level domain' },
    { text: 'price: 5@10.00', reason: 'numeric top-level domain' },
    { text: 'icon: logo@2x.png', reason: 'a retina image file name' },
    { text: 'Message-ID: <0b9f6c1e-53b2-4c0e-9a57-2f4e1d3c8a10@mail.internal>', reason: 'a message id: the local part is a UUID' },
  ],
};
