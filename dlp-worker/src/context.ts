import type { Detector } from './detector.ts';

/** Characters before and after a match searched for context words. */
const WINDOW_BEFORE = 48;
const WINDOW_AFTER = 24;
/** Longer member names are not words anyone writes; only their start is read. */
const MAX_KEY_LENGTH = 128;

/** `accountNumber`, `account_number` and `Account-Number` all read `account number`. */
export function spacedKey(key: string): string {
  return key
    .slice(0, MAX_KEY_LENGTH)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** `API-Key`, `api_key` and `apiKey` are all `apikey`. */
export function normalizedKey(key: string): string {
  return key.slice(0, MAX_KEY_LENGTH).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * A match's confidence after context: at least the detector's `context.confidence` when one of
 * its words is near the match or in the (spaced) member name, at most `againstConfidence` when only
 * an `against` word is, else the base confidence of the match's shape.
 */
export function confidenceInContext(detector: Detector, text: string, start: number, end: number, key: string | undefined): number {
  const base = detector.confidenceFor ? detector.confidenceFor(text.slice(start, end)) : detector.confidence;
  const context = detector.context;
  if (context === undefined) return base;
  const nearby = `${text.slice(Math.max(0, start - WINDOW_BEFORE), start)} ${text.slice(end, end + WINDOW_AFTER)}`.toLowerCase();
  const mentions = (words: readonly string[]) => words.some((word) => containsWord(nearby, word) || (key !== undefined && containsWord(key, word)));
  if (mentions(context.words)) return Math.max(base, context.confidence);
  if (context.against !== undefined && mentions(context.against)) return Math.min(base, context.againstConfidence ?? base / 2);
  return base;
}

const isAlphanumeric = (code: number) => (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);

/** `word` as a whole word: "sin" in "SIN: 046…" but not in "using" or "business". */
function containsWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!isAlphanumeric(text.charCodeAt(i - 1)) && !isAlphanumeric(text.charCodeAt(i + word.length))) return true;
  }
  return false;
}
