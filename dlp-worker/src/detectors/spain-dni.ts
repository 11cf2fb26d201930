import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { delimited } from './pattern-parts.ts';

const LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** The letter is the number mod 23; an NIE's X, Y, Z stand for 0, 1, 2. */
function isDniOrNie(value: string): boolean {
  const compact = VALUE_NORMALIZERS.alphanumeric(value);
  const number = compact.slice(0, -1).replace(/^X/, '0').replace(/^Y/, '1').replace(/^Z/, '2');
  return /^[0-9]{8}$/.test(number) && LETTERS[Number(number) % 23] === compact.slice(-1);
}

export const spainDni: Detector = {
  id: 'spain_dni',
  type: 'national_id',
  description: 'A Spanish DNI/NIF (8 digits and a letter) or NIE (X, Y or Z, 7 digits and a letter) with a valid mod-23 control letter.',
  pattern: delimited('[0-9]{8}-?[A-Z]|[XYZ]-?[0-9]{7}-?[A-Z]'),
  prefilter: '(?:^|[^A-Za-z0-9])(?:[0-9]{8}-?[A-Z]|[XYZ]-?[0-9]{7}-?[A-Z])(?:$|[^A-Za-z0-9])',
  validate: isDniOrNie,
  confidence: 0.8,
  context: { words: ['dni', 'nif', 'nie', 'documento'], confidence: 0.97 },
  normalize: VALUE_NORMALIZERS.alphanumeric,
  positives: ['DNI 12345678Z', 'NIE: X1234567L', 'nif 00000000-T'],
  negatives: [
    { text: 'DNI 12345678A', reason: 'control letter does not match' },
    { text: 'NIE: X1234567Q', reason: 'control letter does not match' },
    { text: 'build 1234567Z', reason: 'seven digits' },
  ],
};
