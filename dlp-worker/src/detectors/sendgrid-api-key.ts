import { prefixedToken } from './simple-tokens.ts';

export const sendgridApiKey = prefixedToken({
  id: 'sendgrid_api_key',
  description: 'A SendGrid API key: SG., a 22-character id, a dot and a 43-character secret.',
  prefilter: 'SG\\.',
  token: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
  positives: ['SENDGRID_API_KEY=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'],
  negatives: [{ text: 'SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' }],
});
