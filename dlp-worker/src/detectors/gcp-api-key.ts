import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

export const gcpApiKey: Detector = {
  id: 'gcp_api_key',
  type: 'credential',
  description: 'A Google Cloud / Google API key: AIza followed by 35 URL-safe base64 characters.',
  pattern: delimited('AIza[0-9A-Za-z_-]{35}', '[^0-9A-Za-z_-]'),
  prefilter: 'AIza',
  validate: (value) => !isPlaceholder(value),
  confidence: 0.95,
  positives: ['key=AIzaSyD4fK9xQ2mN7pL0rT3vW6yZ8bC1eG5hJ0k', '"apiKey": "AIzaSyB-7x_Qm2Lp9Rt4Vw6Xz8Ab1Cd3Ef5Gh7I"'],
  negatives: [
    { text: 'key=AIzaSyD4fK9xQ2mN7pL0rT3vW6yZ8bC1eG5hJ0', reason: 'one character short' },
    { text: 'key=AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', reason: 'placeholder' },
  ],
};
