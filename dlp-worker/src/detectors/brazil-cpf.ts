import type { Detector } from '../detector.ts';
import { VALUE_NORMALIZERS } from '../value-normalizers.ts';
import { isValidCpf } from '../validators/check-digits.ts';

export const brazilCpf: Detector = {
  id: 'brazil_cpf',
  type: 'national_id',
  description: 'A Brazilian CPF: NNN.NNN.NNN-NN (or 11 digits next to "CPF") with both mod-11 check digits valid.',
  // Eleven bare digits are any number; they count only right after "CPF".
  pattern: `(?:^|[^0-9.-])(?P<value>[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2})(?:$|[^0-9.-])|(?i:\\bcpf)[^0-9\\x00]{0,12}?(?P<value2>[0-9]{11})(?:$|[^0-9])`,
  // The formatted value, or the key word the bare form needs.
  prefilter: '[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2}|(?i:\\bcpf)',
  validate: (value) => isValidCpf(VALUE_NORMALIZERS.digits(value)),
  confidence: 0.9,
  context: { words: ['cpf', 'cadastro de pessoas'], confidence: 0.95 },
  keyed: { keys: ['cpf', 'cpfnumber'], accepts: (value) => isValidCpf(VALUE_NORMALIZERS.digits(value)), confidence: 0.95 },
  normalize: VALUE_NORMALIZERS.digits,
  positives: ['CPF: 111.444.777-35', 'cpf 52998224725'],
  negatives: [
    { text: 'CPF: 111.444.777-36', reason: 'second check digit fails' },
    { text: 'CPF: 111.111.111-11', reason: 'repeated digits are invalid' },
    { text: 'phone 52998224725', reason: 'eleven bare digits without the word' },
  ],
};
