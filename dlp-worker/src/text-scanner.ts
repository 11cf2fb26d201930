import RE2 from 're2';
import type { Detector } from './detector.ts';

/** RE2's DFA thrashes on large sets (seconds per scan); shards of this size stay fast. */
export const MAX_PATTERNS_PER_SET = 25;

/** Where one detector matched within one of the scanned texts, in UTF-16 code units: `texts[text].slice(start, end)`. */
export interface TextMatch {
  detector: Detector;
  /** Index of the text in the scanned list. */
  text: number;
  start: number;
  end: number;
}

export interface TextScanner {
  readonly detectors: readonly Detector[];
  /**
   * Matches in each of `texts` of the detectors whose ids are in `enabled` (all when omitted),
   * ordered by detector then position. The texts are scanned as one NUL-joined buffer: one
   * RE2.Set pass per shard for a whole payload, however many strings it has.
   */
  scanTexts(texts: readonly string[], enabled?: ReadonlySet<string>): TextMatch[];
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

/** Byte and character positions of each text inside the joined buffer. */
interface JoinedInput {
  buffer: Buffer;
  texts: readonly string[];
  /** byteStarts[i] is where text i starts; byteStarts[texts.length] is one past the end (plus the separator). */
  byteStarts: Float64Array;
  ascii: boolean;
}

/**
 * Compiles detectors into RE2.Set prefilters plus one exact expression each. The joined text is
 * checked against each set, and only the detectors a set flags run their exact expression and
 * validator.
 */
export function createTextScanner(detectors: readonly Detector[], options: { maxPatternsPerSet?: number } = {}): TextScanner {
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

  return {
    detectors,
    scanTexts(texts, enabled) {
      if (texts.length === 0) return [];
      const isEnabled = (member: CompiledDetector) => enabled === undefined || enabled.has(member.detector.id);
      const input = joinTexts(texts);
      const matches: TextMatch[] = [];
      for (const shard of shards) {
        if (!shard.members.some(isEnabled)) continue;
        for (const index of shard.set.match(input.buffer)) {
          const member = shard.members[index]!;
          if (isEnabled(member)) exactMatches(member, input, matches);
        }
      }
      return matches;
    },
  };
}

function joinTexts(texts: readonly string[]): JoinedInput {
  const joined = texts.length === 1 ? texts[0]! : texts.join('\0');
  const buffer = Buffer.from(joined, 'utf8');
  const ascii = buffer.length === joined.length;
  const byteStarts = new Float64Array(texts.length + 1);
  let position = 0;
  for (let i = 0; i < texts.length; i++) {
    byteStarts[i] = position;
    position += (ascii ? texts[i]!.length : Buffer.byteLength(texts[i]!, 'utf8')) + 1;
  }
  byteStarts[texts.length] = position;
  return { buffer, texts, byteStarts, ascii };
}

/** The text holding a byte position: the last whose start is at or before it. */
function textAt(input: JoinedInput, byte: number): number {
  let low = 0;
  let high = input.texts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (input.byteStarts[middle]! <= byte) low = middle;
    else high = middle - 1;
  }
  return low;
}

function charOffset(input: JoinedInput, text: number, byte: number): number {
  const start = input.byteStarts[text]!;
  return input.ascii ? byte - start : input.buffer.toString('utf8', start, byte).length;
}

function exactMatches(member: CompiledDetector, input: JoinedInput, out: TextMatch[]): void {
  const { detector, exact } = member;
  exact.lastIndex = 0;
  for (let match = exact.exec(input.buffer); match !== null; match = exact.exec(input.buffer)) {
    const [byteStart, byteEnd] = valueSpan(match.indices!);
    const text = textAt(input, byteStart);
    const textEnd = input.byteStarts[text + 1]! - 1;
    if (byteEnd > textEnd) {
      // The match ran over the separator into the next string (only patterns that admit NUL do):
      // scan this string on its own, then go on with the next.
      matchesInOneText(member, input.texts[text]!, text, out);
      exact.lastIndex = textEnd + 1;
      continue;
    }
    const start = charOffset(input, text, byteStart);
    const end = start + (input.ascii ? byteEnd - byteStart : input.buffer.toString('utf8', byteStart, byteEnd).length);
    const value = input.texts[text]!.slice(start, end);
    if (detector.validate === undefined || detector.validate(value)) {
      out.push({ detector, text, start, end });
      // Resume at the value's end, not the match's: trailing context may be the next value's leading context.
      exact.lastIndex = Math.max(byteEnd, match.index + 1);
    } else {
      // A rejected match may have swallowed the start of a real value ("…6789 4111 1111 1111 1111"
      // read as one card): retry just after its start. Validated patterns are bounded in length,
      // so the rescanning stays proportional to the text.
      exact.lastIndex = Math.max(byteStart, match.index) + 1;
    }
  }
}

/** The span of the `value` group (or of `value2`, the same group in another alternative), else the whole match. */
function valueSpan(indices: RegExpIndicesArray): [number, number] {
  const groups = indices.groups;
  return groups?.['value'] ?? groups?.['value2'] ?? indices[0]!;
}

function matchesInOneText(member: CompiledDetector, text: string, index: number, out: TextMatch[]): void {
  const single = new RE2(member.detector.pattern, 'gd');
  for (let match = single.exec(text); match !== null; match = single.exec(text)) {
    const [start, end] = valueSpan(match.indices!);
    const accepted = member.detector.validate === undefined || member.detector.validate(text.slice(start, end));
    if (accepted) out.push({ detector: member.detector, text: index, start, end });
    single.lastIndex = accepted ? Math.max(end, match.index + 1) : Math.max(start, match.index) + 1;
  }
}
