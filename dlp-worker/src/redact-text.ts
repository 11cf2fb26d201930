import type { Finding } from '../../events/src/index.ts';
import type { RedactionStyle } from './profile.ts';

interface Span {
  start: number;
  end: number;
  detectors: string[];
}

/** Replaces the ranges of `findings` in `text`; overlapping ranges are merged and replaced once. */
export function redactText(text: string, findings: readonly Finding[], style: RedactionStyle): string {
  const spans = mergeSpans(findings);
  let result = '';
  let cursor = 0;
  for (const span of spans) {
    result += text.slice(cursor, span.start) + replacementFor(text.slice(span.start, span.end), span, style);
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
      if (!last.detectors.includes(finding.detector)) last.detectors.push(finding.detector);
    } else {
      spans.push({ start: finding.start, end: finding.end, detectors: [finding.detector] });
    }
  }
  return spans;
}

function replacementFor(value: string, span: Span, style: RedactionStyle): string {
  if (style === 'tag') return `[REDACTED:${span.detectors[0]}]`;
  const keepLastDigits = span.detectors.length === 1 && span.detectors[0] === 'payment_card' ? 4 : 0;
  return maskKeepingLastDigits(value, keepLastDigits);
}

/** Masks letters and digits, keeping separators so the shape stays readable, and the last `keep` digits. */
function maskKeepingLastDigits(value: string, keep: number): string {
  let digitsLeft = keep;
  const chars = [...value];
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i]!;
    if (digitsLeft > 0 && /[0-9]/.test(char)) {
      digitsLeft--;
      continue;
    }
    if (/[\p{L}\p{N}]/u.test(char)) chars[i] = '*';
  }
  return chars.join('');
}
