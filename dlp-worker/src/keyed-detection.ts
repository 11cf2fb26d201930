import { normalizedKey } from './context.ts';
import type { Detector } from './detector.ts';

/** Distinct member names remembered; payloads repeat a few names many times, attackers send many. */
const MAX_CACHED_KEYS = 10_000;

export interface KeyedIndex {
  /** The detectors whose `keyed` names match this member name (empty for most names). */
  detectorsFor(key: string): readonly Detector[];
}

/** Looks member names up against every detector's `keyed.keys` and `keyed.keySuffixes`, once per distinct name. */
export function createKeyedIndex(detectors: readonly Detector[]): KeyedIndex {
  const keyed = detectors.filter((detector) => detector.keyed !== undefined);
  const cache = new Map<string, readonly Detector[]>();
  const none: readonly Detector[] = [];

  const lookup = (key: string): readonly Detector[] => {
    const normalized = normalizedKey(key);
    const found = keyed.filter(({ keyed: rule }) => {
      const named = rule!.keys.includes(normalized) || (rule!.keySuffixes ?? []).some((suffix) => normalized.endsWith(suffix));
      return named && !(rule!.keyExclusions ?? []).some((fragment) => normalized.includes(fragment));
    });
    return found.length === 0 ? none : found;
  };

  return {
    detectorsFor(key) {
      if (keyed.length === 0) return none;
      let found = cache.get(key);
      if (found === undefined) {
        if (cache.size >= MAX_CACHED_KEYS) cache.clear();
        found = lookup(key);
        cache.set(key, found);
      }
      return found;
    },
  };
}
