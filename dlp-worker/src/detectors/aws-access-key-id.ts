import type { Detector } from '../detector.ts';

/** The key id AWS documentation uses in every example; finding it is never a leak. */
const DOCUMENTATION_PLACEHOLDER = 'AKIAIOSFODNN7EXAMPLE';

export const awsAccessKeyId: Detector = {
  id: 'aws_access_key_id',
  type: 'credential',
  description: 'An AWS access key id: AKIA (long-term) or ASIA (temporary) followed by 16 base32 characters.',
  pattern: '(?:^|[^A-Za-z0-9])(?P<value>(?:AKIA|ASIA)[A-Z2-7]{16})(?:$|[^A-Za-z0-9])',
  keywords: ['akia', 'asia'],
  validate: (match) => match !== DOCUMENTATION_PLACEHOLDER,
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
    { text: 'shipping to Asia next week', reason: 'the keyword alone is not a key' },
  ],
};
