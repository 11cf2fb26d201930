import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';

/** Numbers printed in advertising and samples; matching them only adds noise. */
const PUBLICIZED_SSNS = new Set(['078-05-1120', '219-09-9999']);

export function isIssuableSsn(value: string): boolean {
  const digits = VALUE_NORMALIZERS.digits(value);
  const [area, group, serial] = [digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)];
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  if (group === '00' || serial === '0000') return false;
  return !PUBLICIZED_SSNS.has(`${area}-${group}-${serial}`);
}

export const usSsn: Detector = {
  id: 'us_ssn',
  type: 'national_id',
  description:
    'A US Social Security number written NNN-NN-NNNN, excluding numbers the SSA never issues (area 000, 666 or 9xx, group 00, serial 0000).',
  pattern: '(?:^|[^0-9-])(?P<value>[0-9]{3}-[0-9]{2}-[0-9]{4})(?:$|[^0-9-])',
  prefilter: '(?:^|[^0-9-])[0-9]{3}-[0-9]{2}-[0-9]{4}',
  validate: isIssuableSsn,
  confidence: 0.85,
  context: { words: ['ssn', 'social security', 'social sec', 'taxpayer'], confidence: 0.97 },
  normalize: VALUE_NORMALIZERS.digits,
  maskKeep: 4,
  positives: ['ssn: 123-45-6789', '"ssn":"536-22-1234"', 'ids 001-01-0001 and 899-99-9999'],
  negatives: [
    { text: 'ssn 000-12-3456', reason: 'area 000 is never issued' },
    { text: 'ssn 666-12-3456', reason: 'area 666 is never issued' },
    { text: 'ssn 912-34-5678', reason: 'areas 900-999 are never issued (ITINs)' },
    { text: 'ssn 123-00-4567', reason: 'group 00 is never issued' },
    { text: 'ssn 123-45-0000', reason: 'serial 0000 is never issued' },
    { text: 'sample 078-05-1120', reason: 'publicized sample number' },
    { text: 'id 123456789', reason: 'no dashes' },
    { text: 'part 9123-45-6789', reason: 'part of a longer number' },
    { text: 'sku 123-45-6789-01', reason: 'followed by another dash group' },
  ],
};
