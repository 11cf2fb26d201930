/**
 * Pieces detectors build their RE2 patterns from. RE2 has no lookaround, so "not part of a longer
 * token" is written as a character of the `outside` class (or an end of the text) on each side,
 * and the finding is narrowed to the `value` group.
 */

export const NOT_ALPHANUMERIC = '[^A-Za-z0-9]';
/** Between a key word and its value: punctuation and spaces, never the NUL that separates strings. */
const GAP = String.raw`[^A-Za-z0-9\x00]`;
const GAP_BEFORE_DIGITS = String.raw`[^0-9\x00]`;

export function delimited(value: string, outside: string = NOT_ALPHANUMERIC): string {
  return `(?:^|${outside})(?P<value>${value})(?:$|${outside})`;
}

/** What comes just before a `standaloneNumber`: prefilters start with it too, so a UUID's digit groups pass them by. */
export const STANDALONE_NUMBER_START = '(?:^|[^0-9A-Za-z_ -]|[^0-9] |[^0-9A-Za-z_]-)';

/**
 * `value` that is neither part of a longer token nor one group of a longer grouped number (an
 * IBAN or account number printed in fours, a UUID's hex groups): no letter, digit or `_` touches
 * it, a space next to it has no digit beyond, and a dash next to it nothing alphanumeric beyond.
 */
export function standaloneNumber(value: string): string {
  return `${STANDALONE_NUMBER_START}(?P<value>${value})(?:$|[^0-9A-Za-z_ -]| [^0-9]|-[^0-9A-Za-z_]|[ -]$)`;
}

/**
 * `value` shortly after one of `words` (case-insensitive, starting a word): for data whose shape
 * alone means nothing (nine digits are a routing number only next to "routing"). Digit values
 * may have words between ("routing number is 0210…"); others only punctuation.
 */
export function afterWords(words: readonly string[], value: string, options: AfterWordsOptions = {}): string {
  return `${wordsAndGap(words, options)}(?P<value>${value})(?:$|${options.outside ?? NOT_ALPHANUMERIC})`;
}

export interface AfterWordsOptions {
  /** Characters allowed between the key word and the value (default 16). */
  gap?: number;
  /** The value is a number: words may stand between. */
  digits?: boolean;
  /** The class of the character after the value. */
  outside?: string;
}

/**
 * The prefilter of an `afterWords` pattern: its key words, gap and `valueStart` (a class every
 * value starts with). Key words alone pass prose by too often ("abandoned", "swift delivery").
 */
export function afterWordsStart(words: readonly string[], valueStart: string, options: AfterWordsOptions = {}): string {
  return `${wordsAndGap(words, options)}${valueStart}`;
}

function wordsAndGap(words: readonly string[], options: AfterWordsOptions): string {
  return `${keyWords(words)}${options.digits ? GAP_BEFORE_DIGITS : GAP}{0,${options.gap ?? 16}}?`;
}

/** The key words `afterWords` starts with: every match of its pattern begins with a match of these. */
function keyWords(words: readonly string[]): string {
  return `(?i:\\b(?:${words.join('|')}))`;
}
