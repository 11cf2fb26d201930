import type { Detector } from '../detector.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const isCode = (value: string) => /^[0-9]{3,4}$/.test(value);

const KEY_WORDS = ['cvv2?', 'cvc2?', 'cid', 'csc', 'security code', 'card verification(?: code| value)?'];
const NEAR: AfterWordsOptions = { gap: 4, digits: true, outside: '[^0-9]' };

export const cardSecurityCode: Detector = {
  id: 'card_security_code',
  type: 'financial',
  description: 'A card verification code (CVV, CVC, CID): 3 or 4 digits right after such a word, or in a member so named.',
  pattern: afterWords(KEY_WORDS, '[0-9]{3,4}', NEAR),
  prefilter: afterWordsStart(KEY_WORDS, '[0-9]', NEAR),
  confidence: 0.85,
  keyed: { keys: ['cvv', 'cvv2', 'cvc', 'cvc2', 'csc', 'securitycode', 'cardsecuritycode', 'cardcvv'], accepts: isCode, confidence: 0.9 },
  positives: ['CVV: 123', 'cvc 4821', { json: { card: { cvv: '737' } } }],
  negatives: [
    { text: 'CVV: 12', reason: 'two digits only' },
    { text: 'version 123', reason: 'no security-code word' },
    { text: 'cvv: 12345', reason: 'five digits: not a card code' },
    { json: { cvv: 'required' }, reason: 'a member named cvv holding no digits' },
  ],
};
