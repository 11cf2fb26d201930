import type { Detector } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';

export const slackWebhook: Detector = {
  id: 'slack_webhook',
  type: 'credential',
  description: 'A Slack incoming-webhook or workflow URL: anyone holding it can post to the channel.',
  pattern: '(?P<value>https://hooks\\.slack\\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/[A-Z0-9]{6,14}/[A-Za-z0-9]{16,32})',
  prefilter: 'https://hooks\\.slack\\.com/',
  validate: (value) => !isPlaceholder(value.slice(value.lastIndexOf('/') + 1)),
  confidence: 0.97,
  positives: ['webhook: https://hooks.slack.com/services/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'],
  negatives: [
    { text: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', reason: 'documentation placeholder' },
    { text: 'https://api.slack.com/messaging/webhooks', reason: 'documentation page, no secret path' },
  ],
};
