import type { Detector } from '../detector.ts';
import { isValidBase58Address, isValidBech32Address } from '../validators/bitcoin.ts';
import { delimited } from './pattern-parts.ts';

export const bitcoinAddress: Detector = {
  id: 'bitcoin_address',
  type: 'financial',
  description: 'A Bitcoin address: legacy or script (base58 with a valid double-SHA-256 checksum) or segwit (bc1, valid bech32/bech32m checksum).',
  pattern: delimited('[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[ac-hj-np-z02-9]{11,71}'),
  // The boundaries and lengths of the legacy form (a 40-character git SHA is longer), and the start of the segwit form.
  prefilter: '(?:^|[^A-Za-z0-9])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}(?:$|[^A-Za-z0-9])|bc1[ac-hj-np-z02-9]{11})',
  validate: (value) => (value.startsWith('bc1') ? isValidBech32Address(value) : isValidBase58Address(value)),
  confidence: 0.9,
  positives: [
    'send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    'btc: 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  ],
  negatives: [
    { text: 'send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', reason: 'base58 checksum fails' },
    { text: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr', reason: 'bech32 checksum fails' },
    { text: 'id 1234567890123456789012345678', reason: 'only digits, fails the checksum' },
  ],
};
