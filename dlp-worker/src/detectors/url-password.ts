import type { Detector, DetectorType } from '../detector.ts';
import { isPlaceholder } from '../validators/false-positive-shapes.ts';

/** Passwords in URLs that are examples, not secrets. */
const EXAMPLE_PASSWORDS = new Set(['password', 'pass', 'passwd', 'secret', 'pwd', 'pw', 'user', 'username', 'changeme', 'admin', 'test', 'guest', 'root', 'xxx']);

/**
 * A URL's user-info password: `scheme://user:PASSWORD@host`. The finding is the password alone,
 * so redaction keeps the rest of the URL readable.
 */
export function urlPasswordDetector(options: {
  id: string;
  description: string;
  schemes: readonly string[];
  positives: readonly string[];
  negatives: Detector['negatives'];
  type?: DetectorType;
}): Detector {
  return {
    id: options.id,
    type: options.type ?? 'credential',
    description: options.description,
    pattern: `(?i:\\b(?:${options.schemes.join('|')}))://[^\\s:/@"'\\x00]{0,128}:(?P<value>[^\\s/@"'\\x00]{1,256})@[A-Za-z0-9.\\[-]`,
    prefilter: `(?i:\\b(?:${options.schemes.join('|')}))://`,
    validate: (value) => !EXAMPLE_PASSWORDS.has(value.toLowerCase()) && !isPlaceholder(value) && !/^\*+$/.test(value),
    confidence: 0.95,
    positives: options.positives,
    negatives: options.negatives,
  };
}
