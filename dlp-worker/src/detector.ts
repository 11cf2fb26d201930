/**
 * The group a detector belongs to, carried on every finding (`type`) so audit queries and
 * profiles can address whole groups: the way Cloudflare and Google group their detectors.
 */
export const DETECTOR_TYPES = ['financial', 'credential', 'pii', 'national_id', 'health'] as const;
export type DetectorType = (typeof DETECTOR_TYPES)[number];

/** A text that looks close to what a detector finds but must not be found, and why. */
export interface NegativeExample {
  /** Scanned as one string leaf, or as a JSON payload when `json` is given. */
  text?: string;
  json?: unknown;
  reason: string;
}

/** A JSON payload in which the detector must find something (for key-name detection). */
export interface JsonExample {
  json: unknown;
}

/**
 * Words that make a match more likely to be this kind of data: within `window` characters of the
 * match in the same string, or in the key of the member holding the string ("routing_number").
 */
export interface DetectorContext {
  /**
   * Lowercase whole words (or phrases); a key is compared in its spaced form: `accountNumber` and
   * `account_number` read "account number".
   */
  words: readonly string[];
  /** The confidence of a match with such a word nearby. */
  confidence: number;
  /** Lowercase words that make a match less likely (e.g. "version" next to an IPv4-looking string). */
  against?: readonly string[];
  /** The confidence of a match next to an `against` word (and no `words`). */
  againstConfidence?: number;
}

/**
 * Finds the whole value of a member whose key names the kind of data, e.g. `{"password": "…"}`,
 * where the value alone has no recognizable shape.
 */
export interface KeyedDetection {
  /** Normalized key names: lowercase letters and digits only (`API-Key` and `api_key` are `apikey`). */
  keys: readonly string[];
  /** Normalized endings that also qualify a key: `password` catches `db_password`. */
  keySuffixes?: readonly string[];
  /** Normalized fragments that disqualify a key even when it matches: `page` keeps `next_page_token` out. */
  keyExclusions?: readonly string[];
  /** Whether the (trimmed) string under such a key is this kind of data. */
  accepts(value: string): boolean;
  confidence: number;
}

/**
 * One kind of sensitive data, described as data with its own examples so a test can run every
 * example through the real scanner (as gitleaks' rules do).
 */
export interface Detector {
  /** Stable snake_case id: profiles, findings and redaction tags name detectors by it. */
  id: string;
  type: DetectorType;
  description: string;
  /**
   * RE2 syntax (no lookaround, no backreferences). When the pattern has a group named `value`, a
   * finding spans only that group and the rest of the match is boundary context: that is how a
   * pattern says "not preceded by a digit" without lookbehind. An alternative whose context differs
   * names its group `value2` (RE2 names a group once). Strings are scanned joined by NUL
   * characters, so a value's character class must not admit `\x00`.
   */
  pattern: string;
  /**
   * RE2 syntax: an expression that every match of `pattern` contains within the string the match's
   * value lies in — the pattern's start up to its value (`afterWordsStart`), a literal every
   * alternative has, or the value's shape with its boundary. One pass of all prefilters over a
   * payload finds the strings worth scanning, and only those strings meet this detector's `pattern`;
   * without a prefilter every string does. It must not match the empty string, and may admit `\x00`
   * (the separator) only as a boundary character at its start or end. A good one matches nothing
   * in clean data (prose, UUIDs, hashes, product codes), since each string it passes costs a second
   * look, and avoids long counted repetitions, which swell the union's DFA.
   */
  prefilter?: string;
  /** Rejects a matched value the pattern alone cannot rule out (a checksum, a reserved range, a placeholder). */
  validate?: (value: string) => boolean;
  /** How likely a match is really this kind of data, 0 to 1, before context. */
  confidence: number;
  /** A base confidence that depends on the match's shape (a formatted number is likelier than a bare one). */
  confidenceFor?: (value: string) => number;
  context?: DetectorContext;
  keyed?: KeyedDetection;
  /** Findings below this confidence are dropped unless a profile sets its own minimum. Default 0.5. */
  minConfidence?: number;
  /** The canonical form of a value for keyed hashes and exact-match lists (e.g. digits only for a card). */
  normalize?: (value: string) => string;
  /** How many trailing letters or digits the `mask` redaction may keep (a card's last 4). Default 0. */
  maskKeep?: number;
  /**
   * Detector ids this one gives way to: a finding overlapping one of theirs in the same string is
   * dropped (a generic "secret next to a key word" yields to the specific GitHub token). `*` yields
   * to every detector of the same type.
   */
  yieldsTo?: readonly string[];
  /** Texts (or JSON payloads) in which the detector must find something. */
  positives: readonly (string | JsonExample)[];
  negatives: readonly NegativeExample[];
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;
