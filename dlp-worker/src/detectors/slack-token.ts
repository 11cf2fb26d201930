import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';
import { delimited } from './pattern-parts.ts';

export const slackToken: Detector = {
  id: 'slack_token',
  type: 'credential',
  description: 'A Slack token: bot (xoxb-), user (xoxp-), app-level (xapp-), workspace, refresh or legacy (xoxa-, xoxe-, xoxr-, xoxs-).',
  pattern: delimited('xox[abeprs](?:\\.xox[abeprs])?-[0-9]{6,}-[0-9A-Za-z-]{8,200}|xapp-[0-9]-[A-Z0-9]{8,}-[0-9]{6,}-[a-f0-9]{32,}', '[^A-Za-z0-9-]'),
  prefilter: 'xox[abeprs]|xapp-',
  validate: (value) => !isPlaceholder(value),
  confidence: 0.97,
  positives: ['SLACK_BOT_TOKEN=xoxb-263594206564-2343948342-Lq8Zx2Rm9Tw4Kp1Vn6Bc3Hd', 'xoxp-123456789012-123456789012-1234567890123-0a1b2c3d4e5f60718293a4b5c6d7e8f9'],
  negatives: [
    { text: 'xoxb-your-token-here', reason: 'placeholder without the numeric ids' },
    { text: 'xoxb-263594206564-xxxxxxxxxxxxxxxx', reason: 'placeholder' },
  ],
};
