import { prefixedToken } from './simple-tokens.ts';

export const npmToken = prefixedToken({
  id: 'npm_token',
  description: 'An npm access token (npm_ followed by 36 base62 characters).',
  prefilter: 'npm_',
  token: 'npm_[A-Za-z0-9]{36}',
  positives: ['//registry.npmjs.org/:_authToken=npm_Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7UeQr8Z'],
  negatives: [
    { text: 'npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', reason: 'placeholder' },
    { text: 'npm_config_cache', reason: 'an npm environment variable name' },
  ],
});
