import type { Finding } from '../../events/src/index.ts';
import type { RedactionStyle } from './profile.ts';

/** Hex digits of the keyed hash in a hash-style token: 48 bits tell values apart without serving as a lookup key. */
const HASH_TOKEN_LENGTH = 12;

export interface RedactTextOptions {
  style: RedactionStyle;
  /** How many trailing letters or digits `mask` keeps for a detector (0 unless the type allows it). */
  maskKeep: (detector: string) => number;
}

interface Span {
  start: number;
  end: number;
  findings: Finding[];
}

/** Replaces the ranges of `findings` in `text`; overlapping ranges are merged and replaced once. */
export function redactText(text: string, findings: readonly Finding[], options: RedactTextOptions): string {
  let result = '';
  let cursor = 0;
  for (const span of mergeSpans(findings)) {
    result += text.slice(cursor, span.start) + replacementFor(text.slice(span.start, span.end), span, options);
    cursor = span.end;
  }
  return result + text.slice(cursor);
}

function mergeSpans(findings: readonly Finding[]): Span[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: Span[] = [];
  for (const finding of sorted) {
    const last = spans.at(-1);
    if (last && finding.start < last.end) {
      last.end = Math.max(last.end, finding.end);
      last.findings.push(finding);
    } else {
      spans.push({ start: finding.start, end: finding.end, findings: [finding] });
    }
  }
  return spans;
}

function replacementFor(value: string, span: Span, options: RedactTextOptions): string {
  const first = span.findings[0]!;
  if (options.style === 'tag') return `[REDACTED:${first.detector}]`;
  if (options.style === 'hash') {
    // A merged span holds several values; the first finding's hash still names the same text each time.
    return first.hash === undefined ? `[REDACTED:${first.detector}]` : `[REDACTED:${first.detector}:${first.hash.slice(0, HASH_TOKEN_LENGTH)}]`;
  }
  const sameDetector = span.findings.every((finding) => finding.detector === first.detector);
  return maskKeepingLast(value, sameDetector ? options.maskKeep(first.detector) : 0);
}

/** Masks letters and digits, keeping separators so the shape stays readable, and the last `keep` of them. */
function maskKeepingLast(value: string, keep: number): string {
  let left = keep;
  const chars = [...value];
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i]!;
    if (!/[\p{L}\p{N}]/u.test(char)) continue;
    if (left > 0) left--;
    else chars[i] = '*';
  }
  return chars.join('');
}
