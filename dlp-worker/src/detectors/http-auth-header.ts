import type { Detector } from '../detector.ts';
import { looksLikeSecret } from './secret-value.ts';

/** The credentials of an Authorization header written out (in logs, curl commands, HTTP dumps). */
export const httpAuthHeader: Detector = {
  id: 'http_auth_header',
  type: 'credential',
  description: 'The credentials of an HTTP Authorization header: Basic (base64 user:password) or Bearer / Token (a random token).',
  pattern: '(?i:authorization\\s{0,3}[:=]\\s{0,3}["\']?(?:basic|bearer|token)|-u) ["\']?(?P<value>[A-Za-z0-9._~+/:-]{12,1000}={0,2})',
  prefilter: '(?i:authorization|-u )',
  validate: (value) => looksLikeSecret(value, { minLength: 12 }),
  confidence: 0.9,
  yieldsTo: ['jwt', 'github_token', 'gitlab_token', 'slack_token', 'openai_api_key', 'anthropic_api_key', 'stripe_key', 'npm_token'],
  positives: ['curl -H "Authorization: Bearer 8Kd2Lm9Qw4Rz7Tp1Vx6Nb3Hc5Jf0" https://api.internal', 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
  negatives: [
    { text: 'Authorization: Bearer <token>', reason: 'placeholder' },
    { text: 'Authorization: Bearer ${TOKEN}', reason: 'template variable' },
    { text: 'the authorization basic flow', reason: 'prose' },
  ],
};
