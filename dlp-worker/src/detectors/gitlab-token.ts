import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

export const gitlabToken: Detector = {
  id: 'gitlab_token',
  type: 'credential',
  description: 'A GitLab token: personal, project or group access (glpat-), deploy (gldt-), runner (glrt-), pipeline trigger (glptt-), feed (glft-) and similar prefixes.',
  pattern: delimited('gl(?:pat|dt|rt|ptt|ft|cbt|imt|agent|oas|soat)-[A-Za-z0-9_-]{20,64}', '[^A-Za-z0-9_-]'),
  prefilter: 'gl(?:pat|dt|rt|ptt|ft|cbt|imt|agent|oas|soat)-',
  validate: (value) => !isPlaceholder(value.slice(value.indexOf('-') + 1)),
  confidence: 0.97,
  positives: ['GITLAB_TOKEN=glpat-Xq7Lm2Rz9Tw4Kp1Vn6Bc', 'runner token glrt-2CR8_eVxiioB1QmzPZwa'],
  negatives: [
    { text: 'glpat-xxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' },
    { text: 'glpat-short', reason: 'too short' },
  ],
};
