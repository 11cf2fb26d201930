import type { Detector } from '../detector.ts';
import { isValidAbaRouting } from '../validators/check-digits.ts';
import { afterWords, afterWordsStart, type AfterWordsOptions } from './pattern-parts.ts';

const KEY_WORDS = ['routing', 'aba', 'rtn', 'transit number'];
const NEAR: AfterWordsOptions = { digits: true, gap: 24, outside: '[^0-9]' };

/** Nine digits are everywhere; only a key word nearby or the member name makes them a routing number. */
export const usBankRouting: Detector = {
  id: 'us_bank_routing',
  type: 'financial',
  description: 'A US bank routing (ABA transit) number next to a word such as "routing" or "ABA", with a Federal Reserve prefix and a valid 3-7-1 checksum.',
  pattern: afterWords(KEY_WORDS, '[0-9]{9}', NEAR),
  // The whole nine digits: "aba" starts many hex strings, and a digit soon follows.
  prefilter: afterWordsStart(KEY_WORDS, '[0-9]{9}', NEAR),
  validate: isValidAbaRouting,
  confidence: 0.9,
  keyed: { keys: ['routing', 'routingnumber', 'abanumber', 'aba', 'rtn', 'routingno'], accepts: isValidAbaRouting, confidence: 0.9 },
  positives: ['routing number: 021000021', 'ABA 011401533', 'RTN#121000358', { json: { routing_number: '026009593' } }],
  negatives: [
    { text: 'routing number: 021000022', reason: 'checksum fails' },
    { text: 'order 021000021 shipped', reason: 'no routing key word nearby' },
    { text: 'routing 991000025', reason: 'prefix 99 is no Federal Reserve district' },
    { json: { order_id: '021000021' }, reason: 'member name says nothing about routing' },
  ],
};
