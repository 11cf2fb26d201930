import RE2 from 're2';
import type { Detector } from './detector.ts';

/** RE2's DFA thrashes on large sets (seconds per scan); shards of this size stay fast. */
export const MAX_PATTERNS_PER_SET = 25;

/** Where one detector matched within one string, in UTF-16 code units: `text.slice(start, end)` is the value. */
export interface TextMatch {
  detector: Detector;
  start: number;
  end: number;
}

export interface TextScanner {
  readonly detectors: readonly Detector[];
  /** Matches of the detectors whose ids are in `enabled` (all when omitted), ordered by detector then offset. */
  scanText(text: string, enabled?: ReadonlySet<string>): TextMatch[];
}

interface CompiledDetector {
  detector: Detector;
  /** `g` to resume from lastIndex, `d` for the offsets of the `value` group. */
  exact: RE2;
}

interface Shard {
  set: InstanceType<typeof RE2.Set>;
  members: CompiledDetector[];
}

/**
 * Compiles detectors into RE2.Set prefilters plus one exact expression each. A string is first
 * checked against each detector's keywords, then against the sets, and only the detectors a set
 * flags run their exact expression and validator.
 */
export function createTextScanner(
  detectors: readonly Detector[],
  options: { maxPatternsPerSet?: number } = {},
): TextScanner {
  const shardSize = options.maxPatternsPerSet ?? MAX_PATTERNS_PER_SET;
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new RangeError(`maxPatternsPerSet must be a positive integer, got ${shardSize}`);
  }
  const compiled = detectors.map((detector) => ({ detector, exact: new RE2(detector.pattern, 'gd') }));
  const shards: Shard[] = [];
  for (let i = 0; i < compiled.length; i += shardSize) {
    const members = compiled.slice(i, i + shardSize);
    shards.push({ set: new RE2.Set(members.map((member) => member.detector.pattern)), members });
  }
  const anyKeywords = detectors.some((detector) => detector.keywords !== undefined);

  return {
    detectors,
    scanText(text, enabled) {
      const lowered = anyKeywords ? text.toLowerCase() : text;
      const candidates = (member: CompiledDetector) =>
        (enabled === undefined || enabled.has(member.detector.id)) &&
        (member.detector.keywords === undefined || member.detector.keywords.some((keyword) => lowered.includes(keyword)));
      const matches: TextMatch[] = [];
      for (const shard of shards) {
        if (!shard.members.some(candidates)) continue;
        for (const index of shard.set.match(text)) {
          const member = shard.members[index]!;
          if (candidates(member)) matches.push(...exactMatches(member, text));
        }
      }
      return matches;
    },
  };
}

function exactMatches({ detector, exact }: CompiledDetector, text: string): TextMatch[] {
  const matches: TextMatch[] = [];
  exact.lastIndex = 0;
  for (let match = exact.exec(text); match !== null; match = exact.exec(text)) {
    const [start, end] = match.indices?.groups?.['value'] ?? match.indices![0]!;
    if (detector.validate === undefined || detector.validate(text.slice(start, end))) {
      matches.push({ detector, start, end });
      // Resume at the value's end, not the match's: trailing context may be the next value's leading context.
      exact.lastIndex = Math.max(end, match.index + 1);
    } else {
      // A rejected match may have swallowed the start of a real value ("…6789 4111 1111 1111 1111"
      // read as one card): retry just after its start. Validated patterns are bounded in length,
      // so the rescanning stays proportional to the text.
      exact.lastIndex = Math.max(start, match.index) + 1;
    }
  }
  return matches;
}
