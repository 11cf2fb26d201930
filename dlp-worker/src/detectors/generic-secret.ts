import type { Detector } from '../detector.ts';
import { looksLikeSecret } from './secret-value.ts';

const KEY_WORDS = '(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|client[_-]?secret|private[_-]?key|credentials?)';
/** A key word and what assigns to it: `password = `, `API_KEY: `, `"token": `, `secret =>`. */
const ASSIGNED = `(?:^|[^A-Za-z0-9])(?i:${KEY_WORDS})[A-Za-z0-9_.-]{0,24}\\\\?["']?\\s{0,3}(?:[:=]{1,2}|=>)`;

/**
 * The catch-all: a random-looking value assigned to a key word, in text (`password = "…"`,
 * `API_KEY: …`) or as the value of a member so named. Specific credential detectors win where
 * they also match.
 */
export const genericSecret: Detector = {
  id: 'generic_secret',
  type: 'credential',
  description:
    'A high-entropy value (8+ characters, entropy 2.8 bits/char, 3.5 from 20 characters, mixed character classes) assigned to password, secret, token, api_key or a similar key word.',
  pattern: `${ASSIGNED}\\s{0,3}\\\\?["']?` + '(?P<value>[^\\s"\'`,;<>()\\[\\]{}\\\\\\x00]{8,200})',
  // The pattern up to its assignment: the key words alone are common in prose ("secret sauce").
  prefilter: ASSIGNED,
  validate: (value) => looksLikeSecret(value),
  confidence: 0.8,
  keyed: {
    keys: ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'accesskey', 'clientsecret', 'privatekey', 'authtoken', 'accesstoken', 'refreshtoken', 'credentials', 'bearertoken'],
    keySuffixes: ['password', 'passwd', 'secret', 'token', 'apikey', 'accesskey', 'authkey', 'secretkey'],
    keyExclusions: ['page', 'progress', 'csrf', 'type', 'count', 'limit', 'max', 'usage', 'expire', 'length', 'name', 'cursor', 'hint', 'policy'],
    accepts: (value) => looksLikeSecret(value),
    confidence: 0.85,
  },
  yieldsTo: ['*'],
  positives: [
    'password = "Tr0ub4dor&3xQ"',
    'API_KEY: 9fK2mQ7xL4pZ8rT1vW6y',
    'export DB_PASSWORD=h7Gk2LmQ9xZ',
    '{"client_secret": "dGhpc2lzYXNlY3JldHZhbHVlMTIz"}',
    { json: { config: { db_password: 'Qm7Xp2Lz9Rk!' } } },
    { json: { apiKey: 'a8F3kL9mQ2xR7tV1' } },
  ],
  negatives: [
    { text: 'password = "changeme"', reason: 'placeholder' },
    { text: 'token: ${GITHUB_TOKEN}', reason: 'template variable' },
    { text: 'api_key: <YOUR_KEY>', reason: 'documentation placeholder' },
    { text: 'password: hunter', reason: 'too short' },
    { text: 'secret = aaaaaaaaaaaaaaaa', reason: 'no entropy' },
    { text: 'token 550e8400-e29b-41d4-a716-446655440000', reason: 'a UUID' },
    { text: 'token: 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12', reason: 'a SHA-1 (git commit) digest' },
    { text: 'password reset link sent', reason: 'prose' },
    { json: { next_page_token: 'CAESBggDEAEYAQxZ9q' }, reason: 'pagination cursor member' },
    { json: { integrity: 'sha512-9Qm7Xp2Lz9RkQm7Xp2Lz9RkQm7Xp2Lz9Rk==' }, reason: 'package integrity hash, no secret member name' },
  ],
};
