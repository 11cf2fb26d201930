import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

/** Legacy keys embed T3BlbkFJ ("OpenAI" in base64); project, service-account and admin keys name their kind. */
export const openaiApiKey: Detector = {
  id: 'openai_api_key',
  type: 'credential',
  description: 'An OpenAI API key: sk-proj-, sk-svcacct- or sk-admin- keys, or legacy sk- keys with the T3BlbkFJ marker.',
  pattern: delimited('sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}', '[^A-Za-z0-9_-]'),
  prefilter: 'sk-(?:proj|svcacct|admin)-|T3BlbkFJ',
  validate: (value) => !isPlaceholder(value.slice(3)),
  confidence: 0.97,
  positives: [
    'OPENAI_API_KEY=sk-proj-Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7UeQr8Zx2Rm9Tw4Kp1Vn6Bc3Hd5Jf0Gs2',
    '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',
  ],
  negatives: [
    { text: 'sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' },
    { text: 'sk-1234567890abcdef', reason: 'no OpenAI key shape' },
    { text: 'sk-ant-api03-Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7UeQr8Zx2Rm9Tw4Kp', reason: 'an Anthropic key' },
  ],
};
