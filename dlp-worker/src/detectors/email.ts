import type { Detector } from '../detector.ts';

export const email: Detector = {
  id: 'email',
  type: 'pii',
  description: 'An email address: a local part, @, and a domain with a top-level domain of letters.',
  pattern:
    '(?:^|[^A-Za-z0-9._%+-])' +
    '(?P<value>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24})' +
    '(?:$|[^A-Za-z0-9-])',
  keywords: ['@'],
  confidence: 0.95,
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
  ],
};
