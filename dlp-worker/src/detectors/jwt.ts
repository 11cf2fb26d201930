import type { Detector } from '../detector.ts';
import { delimited } from './pattern-parts.ts';

/** The header must decode to a JSON object naming an algorithm: random eyJ-prefixed text does not. */
function hasJwtHeader(value: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(value.slice(0, value.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

export const jwt: Detector = {
  id: 'jwt',
  type: 'credential',
  description: 'A JSON Web Token (JWS compact form): base64url header naming an algorithm, payload and signature.',
  pattern: delimited('eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{0,1000}', '[^A-Za-z0-9_.-]'),
  prefilter: 'eyJ',
  validate: hasJwtHeader,
  confidence: 0.95,
  positives: [
    'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  ],
  negatives: [
    { text: 'eyJub3RhIjoiand0In0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc', reason: 'header names no algorithm' },
    { text: 'eyJhbGciOiJIUzI1NiJ9', reason: 'a header alone' },
  ],
};
