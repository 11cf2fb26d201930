import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

export const anthropicApiKey: Detector = {
  id: 'anthropic_api_key',
  type: 'credential',
  description: 'An Anthropic API or admin key: sk-ant-api03- or sk-ant-admin01- followed by a long URL-safe base64 secret.',
  pattern: delimited('sk-ant-(?:api|admin|oat|sid)[0-9]{2}-[A-Za-z0-9_-]{32,200}', '[^A-Za-z0-9_-]'),
  prefilter: 'sk-ant-',
  validate: (value) => !isPlaceholder(value.slice(14)),
  confidence: 0.98,
  positives: ['ANTHROPIC_API_KEY=sk-ant-api03-Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7UeQr8Zx2Rm9Tw4Kp1Vn6Bc3Hd5Jf0-AbCdEfAA'],
  negatives: [
    { text: 'sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' },
    { text: 'sk-ant-api03-short', reason: 'too short' },
  ],
};
