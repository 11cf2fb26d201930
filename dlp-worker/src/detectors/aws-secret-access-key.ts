import type { Detector } from '../detector.ts';
import { looksLikeSecret } from './secret-value.ts';

const isSecretKey = (value: string) => /^[A-Za-z0-9/+]{40}$/.test(value) && looksLikeSecret(value, { minEntropy: 4 });

/** Forty base64 characters are common (hashes, ids); AWS wording nearby or the member name decides. */
export const awsSecretAccessKey: Detector = {
  id: 'aws_secret_access_key',
  type: 'credential',
  description: 'An AWS secret access key: 40 base64 characters after "aws_secret_access_key", "SecretAccessKey" or similar, or in a member so named.',
  pattern:
    '(?i:aws_?secret_?access_?key|secret_?access_?key|aws_?secret(?:_?key)?)["\']?\\s{0,3}[:=]{1,2}\\s{0,3}["\']?' +
    '(?P<value>[A-Za-z0-9/+]{40})(?:$|[^A-Za-z0-9/+=])',
  // The key words the pattern starts with.
  prefilter: '(?i:aws_?secret_?access_?key|secret_?access_?key|aws_?secret(?:_?key)?)',
  validate: isSecretKey,
  confidence: 0.95,
  keyed: { keys: ['awssecretaccesskey', 'secretaccesskey', 'awssecretkey', 'awssecret'], accepts: isSecretKey, confidence: 0.95 },
  positives: ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8h3kLm2Z', 'AWS_SECRET_ACCESS_KEY="9dR2kLmP0qRsT5uVwXyZ1a2B3c4D5e6F7g8H9i0J"', { json: { SecretAccessKey: 'Zx9Lm2Qp4Rs6Tu8Vw0Xy1Az3Bc5De7Fg9Hi1Jk3L' } }],
  negatives: [
    { text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', reason: 'AWS documentation placeholder' },
    { text: 'aws_secret_access_key = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', reason: 'no entropy' },
    { text: 'sha1 = 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12', reason: 'a SHA-1 digest without AWS wording' },
  ],
};
