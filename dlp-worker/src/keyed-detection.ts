import { normalizedKey } from './context.ts';
import type { Detector } from './detector.ts';

/** Distinct member names remembered between scans; payloads repeat a few names many times, attackers send many. */
const MAX_REMEMBERED_NAMES = 10_000;

/**
 * A member name as an engine's scans know it: the detectors keyed on it, and where the walk in
 * progress listed it. Kept from scan to scan, so a walk meets a known name with one lookup and
 * allocates nothing to tell a repeated name from a new one.
 */
export interface MemberName {
  /** The detectors whose `keyed` names match this name (empty for most names). */
  readonly detectors: readonly Detector[];
  /** The walk (see `KeyedIndex.beginWalk`) that last met this name, and the name's group in that walk. */
  walk: number;
  group: number;
}

export interface KeyedIndex {
  /** Starts a walk over one payload: from here on, no name has been met in it. Walks never overlap: they are synchronous. */
  beginWalk(): number;
  nameOf(key: string): MemberName;
}

/** Looks member names up against every detector's `keyed.keys` and `keyed.keySuffixes`, once per distinct name. */
export function createKeyedIndex(detectors: readonly Detector[]): KeyedIndex {
  const keyed = detectors.filter((detector) => detector.keyed !== undefined);
  const names = new Map<string, MemberName>();
  const none: readonly Detector[] = [];
  let walks = 0;

  const lookup = (key: string): readonly Detector[] => {
    if (keyed.length === 0) return none;
    const normalized = normalizedKey(key);
    const found = keyed.filter(({ keyed: rule }) => {
      const named = rule!.keys.includes(normalized) || (rule!.keySuffixes ?? []).some((suffix) => normalized.endsWith(suffix));
      return named && !(rule!.keyExclusions ?? []).some((fragment) => normalized.includes(fragment));
    });
    return found.length === 0 ? none : found;
  };

  return {
    beginWalk() {
      // Forgotten only between walks, so a name keeps one entry for the whole of a walk.
      if (names.size >= MAX_REMEMBERED_NAMES) names.clear();
      return ++walks;
    },
    nameOf(key) {
      let name = names.get(key);
      if (name === undefined) names.set(key, (name = { detectors: lookup(key), walk: 0, group: 0 }));
      return name;
    },
  };
}
