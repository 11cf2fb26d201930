import { characterClasses, shannonEntropy } from '../validators/entropy.ts';
import { isKnownFalsePositive } from '../validators/false-positive-shapes.ts';

/**
 * Whether a string next to a key word is a real secret rather than a word, a placeholder or a
 * digest: long enough, random enough (bits per character, rising with length as random strings'
 * entropy does), mixing character classes, and no known false-positive shape.
 */
export function looksLikeSecret(value: string, options: { minLength?: number; minEntropy?: number } = {}): boolean {
  const minLength = options.minLength ?? 8;
  if (value.length < minLength || value.length > 1000 || /\s/.test(value)) return false;
  if (isKnownFalsePositive(value) || /^[0-9]+$/.test(value) || /^(?:true|false|null|none|undefined)$/i.test(value)) return false;
  const threshold = options.minEntropy ?? (value.length >= 20 ? 3.5 : 2.8);
  return shannonEntropy(value) >= threshold && characterClasses(value) >= 2;
}
