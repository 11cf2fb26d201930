import RE2 from 're2';
import type { Detector } from './detector.ts';
import { textAt, textWindow, type JoinedTexts } from './joined-texts.ts';

/**
 * The first stage of a scan. A pass of one RE2 expression, the union of the detectors'
 * prefilters, finds the strings that may hold a match; an RE2.Set of the prefilters, run on each
 * such string alone, says for which detectors. Prefilters are short (key words, literal prefixes,
 * loosened value shapes), so the pass costs what a single-literal RE2.Set pass costs, where the
 * detectors' own patterns take several sets, each slower; and most strings of a payload hold no
 * prefilter at all.
 *
 * Nothing is missed: a detector's prefilter matches inside every match of its pattern, within the
 * string the match's value lies in (see `Detector.prefilter`). Such a string holds a union match,
 * the pass below visits every string holding one, and the set then names the detector.
 */
export interface Prefilter {
  /** The detectors it selects for, in the order their candidates are returned. */
  readonly detectors: readonly Detector[];
  /** Per detector (same order), the indices of the texts to scan with its pattern, ascending. */
  candidates(input: JoinedTexts): number[][];
}

export function createPrefilter(detectors: readonly Detector[]): Prefilter {
  const sources = detectors.map((detector) => {
    if (detector.prefilter === undefined) throw new RangeError(`detector "${detector.id}" has no prefilter`);
    return detector.prefilter;
  });
  const any = new RE2(sources.map((source) => `(?:${source})`).join('|'), 'g');
  const which = new RE2.Set(sources);

  return {
    detectors,
    candidates(input) {
      const found: number[][] = detectors.map(() => []);
      const { buffer } = input;
      any.lastIndex = 0;
      let last = -1;
      while (any.test(buffer)) {
        // The byte before lastIndex is the union match's last: in the text (or its separator) that holds it.
        const text = Math.max(textAt(input, any.lastIndex - 1), last + 1);
        const [from, to] = textWindow(input, text);
        for (const index of which.match(buffer.subarray(from, to))) found[index]!.push(text);
        last = text;
        if (to >= buffer.length) break;
        // Resume at the separator after this text: it may be the boundary a prefilter in the next text starts with.
        any.lastIndex = to - 1;
      }
      any.lastIndex = 0;
      return found;
    },
  };
}
