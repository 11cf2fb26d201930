import RE2 from 're2';
import type { Detector } from './detector.ts';
import { charOffset, createJoinSpace, joinTexts, textAt, type JoinedTexts } from './joined-texts.ts';
import { createPrefilter, type Prefilter } from './prefilter.ts';
import { TextList } from './text-list.ts';

/** RE2's DFA thrashes on large sets (seconds per scan); shards of this size stay fast. */
export const MAX_PATTERNS_PER_SET = 25;

/** Where one detector matched within one of the scanned texts, in UTF-16 code units: `texts.at(text).slice(start, end)`. */
export interface TextMatch {
  detector: Detector;
  /** Index of the text in the scanned list. */
  text: number;
  start: number;
  end: number;
}

export interface TextScan {
  matches: TextMatch[];
  /** The texts holding a match of the scanner's `select` expression, ascending (none without one). */
  selected: number[];
}

export interface TextScanner {
  readonly detectors: readonly Detector[];
  /**
   * Matches in each of `texts` of the detectors whose ids are in `enabled` (all when omitted),
   * ordered by detector then position. The texts are scanned as one NUL-joined buffer: one
   * prefilter pass (and one RE2.Set pass per shard of detectors without a prefilter) for a whole
   * payload, however many strings it has.
   */
  scanTexts(texts: readonly string[], enabled?: ReadonlySet<string>): TextMatch[];
  /** What `scanTexts` finds, and the texts `select` matches in, found in the same prefilter pass. */
  scan(texts: TextList, enabled?: ReadonlySet<string>): TextScan;
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

/** How one set of enabled detectors is scanned: prefiltered detectors, and sharded sets for the others. */
interface ScanPlan {
  /** The prefiltered detectors' prefilters, in order, then `select` when given. */
  prefilter?: Prefilter;
  /** The prefiltered detectors' compiled forms, in the prefilter's order. */
  prefiltered: CompiledDetector[];
  shards: Shard[];
}

export interface TextScannerOptions {
  maxPatternsPerSet?: number;
  /**
   * Whether detectors with a `prefilter` are selected by it (the default) rather than by RE2.Set
   * shards of their patterns. Both find the same matches; `false` is the reference the tests
   * compare against.
   */
  prefilter?: boolean;
  /**
   * An RE2 expression (matching within one text's window, like a prefilter) whose texts `scan`
   * also returns: one more alternative in the prefilter pass costs far less than a pass of its own.
   */
  select?: string;
}

/**
 * Compiles detectors into a first stage that selects, for each detector, the texts that may hold
 * a match: the union of the detectors' prefilters (`prefilter.ts`), or RE2.Set prefilters of the
 * patterns themselves for detectors without one. Only selected detectors run their exact
 * expression and validator, on the selected texts (prefilter) or on the whole joined buffer (sets).
 */
export function createTextScanner(detectors: readonly Detector[], options: TextScannerOptions = {}): TextScanner {
  const shardSize = options.maxPatternsPerSet ?? MAX_PATTERNS_PER_SET;
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new RangeError(`maxPatternsPerSet must be a positive integer, got ${shardSize}`);
  }
  const usePrefilters = options.prefilter ?? true;
  const compiled = detectors.map((detector) => ({ detector, exact: new RE2(detector.pattern, 'gd') }));

  const planFor = (members: CompiledDetector[]): ScanPlan => {
    const prefiltered = usePrefilters ? members.filter((member) => member.detector.prefilter !== undefined) : [];
    const others = members.filter((member) => !prefiltered.includes(member));
    const shards: Shard[] = [];
    for (let i = 0; i < others.length; i += shardSize) {
      const shard = others.slice(i, i + shardSize);
      shards.push({ set: new RE2.Set(shard.map((member) => member.detector.pattern)), members: shard });
    }
    const expressions = prefiltered.map((member) => member.detector.prefilter!);
    if (options.select !== undefined) expressions.push(options.select);
    const prefilter = expressions.length > 0 ? createPrefilter(expressions) : undefined;
    return { prefilter, prefiltered, shards };
  };
  // Profiles keep their enabled set for the life of the engine: one plan each.
  const plans = new WeakMap<ReadonlySet<string>, ScanPlan>();
  const everything = planFor(compiled);
  const planOf = (enabled: ReadonlySet<string> | undefined): ScanPlan => {
    if (enabled === undefined) return everything;
    let plan = plans.get(enabled);
    if (plan === undefined) plans.set(enabled, (plan = planFor(compiled.filter((member) => enabled.has(member.detector.id)))));
    return plan;
  };
  const order = new Map(detectors.map((detector, index) => [detector, index]));
  // Scans run one at a time (they are synchronous) and keep nothing of the joined bytes.
  const space = createJoinSpace();

  const scan = (texts: TextList, enabled: ReadonlySet<string> | undefined): TextScan => {
    if (texts.length === 0) return { matches: [], selected: [] };
    const plan = planOf(enabled);
    const input = joinTexts(texts, space);
    const byDetector: TextMatch[][] = [];
    const into = (member: CompiledDetector) => (byDetector[order.get(member.detector)!] ??= []);
    const candidates = plan.prefilter?.candidates(input) ?? [];
    for (let i = 0; i < plan.prefiltered.length; i++) {
      const member = plan.prefiltered[i]!;
      for (const text of candidates[i] ?? []) matchesInText(member, texts, text, into(member));
    }
    for (const shard of plan.shards) {
      for (const index of shard.set.match(input.buffer)) matchesInBuffer(shard.members[index]!, input, into(shard.members[index]!));
    }
    return { matches: byDetector.flat(), selected: candidates[plan.prefiltered.length] ?? [] };
  };

  return {
    detectors,
    scan,
    scanTexts: (texts, enabled) => scan(TextList.of(texts), enabled).matches,
  };
}

/**
 * Matches of one detector in the whole joined buffer: for detectors without a prefilter, which
 * the shards select by payload rather than by text.
 */
function matchesInBuffer(member: CompiledDetector, input: JoinedTexts, out: TextMatch[]): void {
  const { detector, exact } = member;
  const { buffer } = input;
  exact.lastIndex = 0;
  for (let match = exact.exec(buffer); match !== null; match = exact.exec(buffer)) {
    const [byteStart, byteEnd] = valueSpan(match.indices!);
    const text = textAt(input, byteStart);
    const textEnd = input.byteStarts[text + 1]! - 1;
    if (byteEnd > textEnd) {
      // The match ran over the separator into the next string (only patterns that admit NUL do):
      // scan this string on its own, then go on with the next.
      const alone = input.texts.at(text);
      matchesInString(member, alone, 0, alone.length, text, out);
      exact.lastIndex = textEnd + 1;
      continue;
    }
    const start = charOffset(input, text, byteStart);
    const end = start + (input.ascii ? byteEnd - byteStart : buffer.toString('utf8', byteStart, byteEnd).length);
    // Resume at the value's end, not the match's: trailing context may be the next value's
    // leading context. After a rejected match, just after its start: it may have swallowed the
    // start of a real value ("…6789 4111 1111 1111 1111" read as one card). Validated patterns
    // are bounded in length, so the rescanning stays proportional to the text.
    if (accepts(detector, input.texts.at(text).slice(start, end))) {
      out.push({ detector, text, start, end });
      exact.lastIndex = Math.max(byteEnd, match.index + 1);
    } else {
      exact.lastIndex = Math.max(byteStart, match.index) + 1;
    }
  }
}

/**
 * Matches of one detector in text `index`, seen as the pattern sees it in the joined buffer: with
 * the separator it has there on each side (a boundary character of the pattern may be that NUL).
 * Run on a string rather than on the buffer's bytes: RE2 answers a match in a string faster (no
 * Buffer per group) and in UTF-16 offsets already. A value that would take in a separator (only
 * patterns that admit NUL have one) sends the scan to the string alone.
 */
function matchesInText(member: CompiledDetector, texts: TextList, index: number, out: TextMatch[]): void {
  const text = texts.at(index);
  const before = index > 0 ? '\0' : '';
  const after = index < texts.length - 1 ? '\0' : '';
  if (!matchesInString(member, `${before}${text}${after}`, before.length, text.length, index, out)) {
    matchesInString(member, text, 0, text.length, index, out);
  }
}

/**
 * Adds the accepted matches in `scanned`, where text `index` takes `length` code units from
 * `offset`, and returns true; returns false, adding none, when a value reaches outside the text.
 */
function matchesInString(member: CompiledDetector, scanned: string, offset: number, length: number, index: number, out: TextMatch[]): boolean {
  const { detector, exact } = member;
  const found: TextMatch[] = [];
  exact.lastIndex = 0;
  for (let match = exact.exec(scanned); match !== null; match = exact.exec(scanned)) {
    const [valueStart, valueEnd] = valueSpan(match.indices!);
    if (valueStart < offset || valueEnd > offset + length) return false;
    // Where to resume: as in matchesInBuffer.
    if (accepts(detector, scanned.slice(valueStart, valueEnd))) {
      found.push({ detector, text: index, start: valueStart - offset, end: valueEnd - offset });
      exact.lastIndex = Math.max(valueEnd, match.index + 1);
    } else {
      exact.lastIndex = Math.max(valueStart, match.index) + 1;
    }
  }
  for (const match of found) out.push(match);
  return true;
}

function accepts(detector: Detector, value: string): boolean {
  return detector.validate === undefined || detector.validate(value);
}

/** The span of the `value` group (or of `value2`, the same group in another alternative), else the whole match. */
function valueSpan(indices: RegExpIndicesArray): [number, number] {
  const groups = indices.groups;
  return groups?.['value'] ?? groups?.['value2'] ?? indices[0]!;
}
