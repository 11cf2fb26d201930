import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

export const awsAccessKeyId: Detector = {
  id: 'aws_access_key_id',
  type: 'credential',
  description: 'An AWS access key id: AKIA (long-term) or ASIA (temporary) followed by 16 base32 characters.',
  pattern: delimited('(?:AKIA|ASIA)[A-Z2-7]{16}'),
  // AKIAIOSFODNN7EXAMPLE is the key id of every AWS documentation example.
  prefilter: '(?:AKIA|ASIA)[A-Z2-7]{4}',
  validate: (value) => !isPlaceholder(value),
  confidence: 0.95,
  positives: [
    'aws_access_key_id = AKIAZ7Q3JX4LMN2RTUVW',
    'export AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A',
    '{"AccessKeyId":"ASIAQWERTYUIOP234567"}',
  ],
  negatives: [
    { text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', reason: 'AWS documentation placeholder' },
    { text: 'AKIAZ7Q3JX4LMN2RTUV', reason: 'too short (19 characters)' },
    { text: 'AKIAZ7Q3JX4LMN2RTUVWX', reason: 'part of a longer token' },
    { text: 'akiaz7q3jx4lmn2rtuvw', reason: 'key ids are upper case' },
    { text: 'AKIAZ7Q3JX4LMN2RTUV1', reason: '1 is not a base32 character' },
    { text: 'AIDAZ7Q3JX4LMN2RTUVW', reason: 'AIDA is an IAM user id, not an access key' },
    { text: 'shipping to Asia next week', reason: 'the prefix alone is not a key' },
  ],
};
