/**
 * Shapes that look like secrets or identifiers but never are one: documentation placeholders,
 * template variables, UUIDs, content digests and package integrity hashes. Credential detectors
 * reject matches of these shapes.
 */

const PLACEHOLDER_WORDS = [
  'example',
  'placeholder',
  'changeme',
  'change_me',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'insert',
  'redacted',
  'dummy',
  'sample',
  'xxxxxx',
  '******',
  '......',
  '<',
  '${',
  '{{',
  '%s',
  '$(',
];

/** `<YOUR_KEY>`, `${VAR}`, `{{ secret }}`, AKIAIOSFODNN7EXAMPLE, `xxxxxxxx`, `your_api_key_here`. */
export function isPlaceholder(value: string): boolean {
  const lowered = value.toLowerCase();
  if (PLACEHOLDER_WORDS.some((word) => lowered.includes(word))) return true;
  return isRepetitive(value);
}

/** A value made of one or two characters repeated, or a run like abcdef/123456 that no generator emits. */
export function isRepetitive(value: string): boolean {
  if (new Set(value).size <= 2) return true;
  let ascending = 0;
  for (let i = 1; i < value.length; i++) if (value.charCodeAt(i) === value.charCodeAt(i - 1) + 1) ascending++;
  return ascending >= value.length - 2;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_DIGEST = /^(?:[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const INTEGRITY = /^(?:sha1|sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}$/;

export function isUuid(value: string): boolean {
  return value.length === 36 && UUID.test(value);
}

/**
 * SHA-1 (git commit ids) and SHA-2 digests written in hex. 32 hex digits are left out: that is an
 * MD5 but also the shape of many real API keys.
 */
export function isHexDigest(value: string): boolean {
  return HEX_DIGEST.test(value);
}

/** Subresource and package-lock integrity strings (`sha512-…`). */
export function isIntegrityHash(value: string): boolean {
  return INTEGRITY.test(value);
}

/** Any of the shapes above: the shared exclusion of credential detectors. */
export function isKnownFalsePositive(value: string): boolean {
  return isPlaceholder(value) || isUuid(value) || isHexDigest(value) || isIntegrityHash(value);
}
