import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

/** Publishable keys (pk_) are meant to be public and are not matched. */
export const stripeKey: Detector = {
  id: 'stripe_key',
  type: 'credential',
  description: 'A Stripe secret or restricted key (sk_live_, rk_live_, and their _test_ forms) or webhook signing secret (whsec_).',
  pattern: delimited('(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,247}|whsec_[0-9A-Za-z]{32,64}', '[^0-9A-Za-z_]'),
  prefilter: '(?:sk|rk)_(?:live|test)_|whsec_',
  validate: (value) => !isPlaceholder(value.slice(value.lastIndexOf('_') + 1)),
  confidence: 0.97,
  positives: ['STRIPE_SECRET_KEY=sk_live_51Hx7Lm2Rz9Tw4Kp1Vn6Bc3Hd5Jf0Gs2Ya', 'rk_test_4eC39HqLyjWDarjtT1zdp7dc8Xq2Lm9R'],
  negatives: [
    { text: 'pk_live_51Hx7Lm2Rz9Tw4Kp1Vn6Bc3Hd5Jf0Gs2Ya', reason: 'a publishable key, public by design' },
    { text: 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' },
    { text: 'sk_live_short', reason: 'too short' },
  ],
};
