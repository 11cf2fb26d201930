import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

export const githubToken: Detector = {
  id: 'github_token',
  type: 'credential',
  description: 'A GitHub token: personal (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_), refresh (ghr_) or fine-grained (github_pat_).',
  pattern: delimited('gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}', '[^A-Za-z0-9_]'),
  prefilter: 'gh[pousr]_|github_pat_',
  validate: (value) => !isPlaceholder(value.slice(4)),
  confidence: 0.97,
  positives: [
    'GITHUB_TOKEN=ghp_R7q2Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7Ue',
    'token: gho_8Kd2Lm9Qw4Rz7Tp1Vx6Nb3Hc5Jf0Gs2Ya7Ue',
    'github_pat_11ABCDEFG0123456789abc_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVw',
  ],
  negatives: [
    { text: 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' },
    { text: 'ghp_R7q2Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7U', reason: 'one character short' },
    { text: 'ghx_R7q2Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7Ue', reason: 'no such token prefix' },
  ],
};
