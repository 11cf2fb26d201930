import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';

export const usItin: Detector = {
  id: 'us_itin',
  type: 'national_id',
  description: 'A US Individual Taxpayer Identification Number: 9NN-NN-NNNN with a group in the ranges the IRS issues (50-65, 70-88, 90-92, 94-99).',
  pattern: '(?:^|[^0-9-])(?P<value>9[0-9]{2}-(?:5[0-9]|6[0-5]|7[0-9]|8[0-8]|9[0-2]|9[4-9])-[0-9]{4})(?:$|[^0-9-])',
  prefilter: '9[0-9]{2}-(?:5[0-9]|6[0-5]|7[0-9]|8[0-8]|9[0-2]|9[4-9])-[0-9]{4}',
  confidence: 0.8,
  context: { words: ['itin', 'taxpayer', 'tax id'], confidence: 0.95 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 4,
  positives: ['ITIN 912-70-1234', 'tax id: 999-88-7777'],
  negatives: [
    { text: 'ITIN 912-45-1234', reason: 'group 45 is outside the ITIN ranges' },
    { text: 'ITIN 812-70-1234', reason: 'ITINs start with 9' },
    { text: 'ref 912-93-1234', reason: 'group 93 is not issued' },
  ],
};
