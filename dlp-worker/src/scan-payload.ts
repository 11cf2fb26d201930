import type { Finding } from '../../events/src/index.ts';
import { confidenceInContext, spacedKey } from './context.ts';
import { decodeEncodedText } from './decode-text.ts';
import type { Detector } from './detector.ts';
import type { KeyedHasher } from './keyed-hash.ts';
import type { KeyedIndex } from './keyed-detection.ts';
import { collectPayloadTexts, contextKeyOf, pathOf, type PayloadTexts } from './payload-texts.ts';
import type { CompiledProfile } from './profile.ts';
import type { TextMatch, TextScanner } from './text-scanner.ts';

/** What scanning needs besides the profile: compiled detectors, the member-name index and the hash key. */
export interface ScanTools {
  scanner: TextScanner;
  keyed: KeyedIndex;
  hasher: KeyedHasher;
  /** Normalized values each detector knows to be test data (skipped when a profile asks). */
  testValues: ReadonlyMap<string, ReadonlySet<string>>;
}

export type ScanResult = { findings: Finding[] } | { oversize: number; findings: [] };

/** A possible finding: in the string value of `node`, or (`inKey`) in the name of member `node`. */
interface Candidate {
  detector: Detector;
  node: number;
  inKey: boolean;
  start: number;
  end: number;
  confidence: number;
  /** The value as found (decoded when it came from an encoded string): hashed, never kept. */
  value: string;
}

export interface ScanOptions {
  /**
   * Whether a first pass, which walks the payload without recording where each string sits, may
   * settle a payload that holds nothing (the default). Both ways find the same; `false`, always
   * walking with places, is the reference the tests compare against.
   */
  firstPass?: boolean;
}

/**
 * Finds what the profile's detectors match in every string leaf, number leaf (as its decimal
 * text), member name and decoded base64 or percent-encoded string of a JSON value. Findings
 * locate values by JSON path and offsets and carry a keyed hash of the value, never the value.
 *
 * Most payloads hold nothing, and recording where each of their strings sits costs more than
 * scanning them. So a first pass collects the texts alone, and its prefilter pass also picks out
 * the strings that may be encoded: when nothing matches, nothing is keyed by member name and
 * nothing decodes, the payload is clean. Otherwise a second walk records places; its texts are the
 * first pass's (the same walk) unless some decode, so the first pass's matches stand.
 *
 * Throws a DlpError (GH_ERR_DLP_PAYLOAD_UNSCANNABLE) for a value JSON cannot hold.
 */
export function scanPayload(payload: unknown, profile: CompiledProfile, tools: ScanTools, options: ScanOptions = {}): ScanResult {
  const collect = (places: boolean, decodeEncoded: boolean) =>
    collectPayloadTexts(payload, { maxChars: profile.maxPayloadChars, decodeEncoded, places, names: tools.keyed });

  let collected: ReturnType<typeof collect>;
  let matches: TextMatch[] | undefined;
  if (options.firstPass ?? true) {
    const first = collect(false, false);
    if ('oversize' in first) return { oversize: first.oversize, findings: [] };
    const scan = tools.scanner.scan(first.texts, profile.enabled);
    const encoded = scan.selected.some((text) => decodeEncodedText(first.texts.at(text)) !== undefined);
    if (!encoded && scan.matches.length === 0 && keyedMatches(first, profile).length === 0) return { findings: [] };
    collected = collect(true, encoded);
    if (!encoded) matches = scan.matches;
  } else {
    collected = collect(true, true);
  }
  if ('oversize' in collected) return { oversize: collected.oversize, findings: [] };
  matches ??= tools.scanner.scan(collected.texts, profile.enabled).matches;

  const candidates = textCandidates(collected, matches);
  for (const { detector, text, start, end } of keyedMatches(collected, profile)) {
    const value = collected.texts.at(text).slice(start, end);
    candidates.push({ detector, node: collected.owner[text]!, inKey: false, start, end, confidence: detector.keyed!.confidence, value });
  }

  const kept = candidates.filter((candidate) => {
    if (candidate.confidence < profile.rules.get(candidate.detector.id)!.minConfidence) return false;
    return !(profile.ignoreTestValues && tools.testValues.get(candidate.detector.id)?.has(normalized(candidate)));
  });
  return { findings: toFindings(collected, dropOutranked(kept), profile, tools.hasher) };
}

/** Whole string values found by the name of the member holding them (`"password": "…"`), trimmed. */
function keyedMatches(collected: PayloadTexts, profile: CompiledProfile): TextMatch[] {
  const found: TextMatch[] = [];
  for (const { text, detectors } of collected.keyed) {
    const raw = collected.texts.at(text);
    const value = raw.trim();
    const start = raw.indexOf(value);
    for (const detector of detectors) {
      if (!profile.enabled.has(detector.id) || value === '' || !detector.keyed!.accepts(value)) continue;
      found.push({ detector, text, start, end: start + value.length });
    }
  }
  return found;
}

/** Matches of the scanned texts, each placed where it occurs: a member name once per member it names. */
function textCandidates(collected: PayloadTexts, matches: readonly TextMatch[]): Candidate[] {
  const spaced = new Map<string, string>();
  const contextOf = (node: number): string | undefined => {
    const key = contextKeyOf(collected, node);
    if (key === undefined) return undefined;
    let form = spaced.get(key);
    if (form === undefined) spaced.set(key, (form = spacedKey(key)));
    return form;
  };
  const candidates: Candidate[] = [];
  for (const match of matches) {
    const text = collected.texts.at(match.text);
    const value = text.slice(match.start, match.end);
    const owner = collected.owner[match.text]!;
    if (owner < 0) {
      const confidence = confidenceInContext(match.detector, text, match.start, match.end, undefined);
      for (const member of collected.keyMembers[-1 - owner]!) {
        candidates.push({ detector: match.detector, node: member, inKey: true, start: match.start, end: match.end, confidence, value });
      }
      continue;
    }
    const confidence = confidenceInContext(match.detector, text, match.start, match.end, contextOf(owner));
    const decoded = collected.decoded.get(match.text);
    // A finding in decoded text is placed on the encoded string it came from.
    const [start, end] = decoded ? decoded.decoding.sourceSpan(match.start, match.end) : [match.start, match.end];
    candidates.push({ detector: match.detector, node: owner, inKey: false, start, end, confidence, value });
  }
  return candidates;
}

function normalized(candidate: Candidate): string {
  return candidate.detector.normalize ? candidate.detector.normalize(candidate.value) : candidate.value;
}

const samePlace = (a: Candidate, b: Candidate) => a.node === b.node && a.inKey === b.inKey;
const overlaps = (a: Candidate, b: Candidate) => samePlace(a, b) && a.start < b.end && b.start < a.end;

/**
 * One finding per detector and place (the most confident of overlapping ones), and none for a
 * detector that yields to another found at the same place.
 */
function dropOutranked(candidates: Candidate[]): Candidate[] {
  const byPlace = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const place = `${candidate.node}:${candidate.inKey}`;
    const list = byPlace.get(place);
    if (list) list.push(candidate);
    else byPlace.set(place, [candidate]);
  }
  const kept: Candidate[] = [];
  for (const list of byPlace.values()) {
    if (list.length === 1) {
      kept.push(list[0]!);
      continue;
    }
    for (const [index, candidate] of list.entries()) {
      const yields = candidate.detector.yieldsTo ?? [];
      const outranked = list.some((other, otherIndex) => {
        if (other === candidate || !overlaps(candidate, other)) return false;
        if (other.detector === candidate.detector) {
          const better = other.confidence - candidate.confidence || other.end - other.start - (candidate.end - candidate.start);
          return better > 0 || (better === 0 && otherIndex < index);
        }
        return (
          yields.includes(other.detector.id) ||
          (yields.includes('*') && other.detector.type === candidate.detector.type && !(other.detector.yieldsTo ?? []).includes('*'))
        );
      });
      if (!outranked) kept.push(candidate);
    }
  }
  return kept;
}

function toFindings(collected: PayloadTexts, candidates: Candidate[], profile: CompiledProfile, hasher: KeyedHasher): Finding[] {
  // Walk order: nodes are numbered as walked, and a member's name comes before its value.
  candidates.sort(
    (a, b) =>
      a.node - b.node || Number(b.inKey) - Number(a.inKey) || a.start - b.start || (a.detector.id < b.detector.id ? -1 : a.detector.id > b.detector.id ? 1 : 0),
  );
  const withheld = new Set(candidates.filter((candidate) => candidate.inKey).map((candidate) => candidate.node));
  const memo = new Map<number, string>();
  // Payloads repeat values (a customer's email in every row): each distinct value is hashed once.
  const hashes = new Map<string, string>();
  const hashOf = (value: string) => {
    let hash = hashes.get(value);
    if (hash === undefined) hashes.set(value, (hash = hasher.hash(value)));
    return hash;
  };
  return candidates.map((candidate): Finding => {
    const path = pathOf(collected, candidate.node, withheld, memo);
    return {
      detector: candidate.detector.id,
      type: candidate.detector.type,
      path: candidate.inKey ? `${path}~` : path,
      start: candidate.start,
      end: candidate.end,
      confidence: Math.round(candidate.confidence * 1000) / 1000,
      action: profile.rules.get(candidate.detector.id)!.action,
      hash: hashOf(normalized(candidate)),
    };
  });
}
