/** What kind of data a detector finds; carried on every finding so audit queries can group by it. */
export type DetectorType = 'pii' | 'financial' | 'credential';

/** A text that looks close to what a detector finds but must not be found, and why. */
export interface NegativeExample {
  text: string;
  reason: string;
}

/**
 * One kind of sensitive data, described as data with its own examples so a test can run every
 * example through the real scanner.
 */
export interface Detector {
  /** Stable snake_case id: profiles, findings and redaction tags name detectors by it. */
  id: string;
  type: DetectorType;
  description: string;
  /**
   * RE2 syntax (no lookaround, no backreferences). When the pattern has a group named `value`, a
   * finding spans only that group and the rest of the match is boundary context: that is how a
   * pattern says "not preceded by a digit" without lookbehind.
   */
  pattern: string;
  /** Lowercase substrings of which at least one must occur before the pattern is run at all. */
  keywords?: readonly string[];
  /** Rejects a matched value the pattern alone cannot rule out (a checksum, a reserved range). */
  validate?: (match: string) => boolean;
  /** How likely a match is really this kind of data, 0 to 1. */
  confidence: number;
  /** Texts in which the detector must find something. */
  positives: readonly string[];
  negatives: readonly NegativeExample[];
}
