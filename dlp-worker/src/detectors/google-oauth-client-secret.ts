import { prefixedToken } from './simple-tokens.ts';

export const googleOauthClientSecret = prefixedToken({
  id: 'google_oauth_client_secret',
  description: 'A Google OAuth client secret (GOCSPX- followed by 28 characters).',
  prefilter: 'GOCSPX-',
  token: 'GOCSPX-[A-Za-z0-9_-]{28}',
  positives: ['"client_secret": "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"'],
  negatives: [{ text: 'GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' }],
});
