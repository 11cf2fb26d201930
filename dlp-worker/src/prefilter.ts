import RE2 from 're2';
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
  /** Per expression (in the order given), the indices of the texts holding a match of it, ascending. */
  candidates(input: JoinedTexts): number[][];
}

/** `expressions`: RE2 sources, each matching within a single text's window (the text and the separators around it). */
export function createPrefilter(expressions: readonly string[]): Prefilter {
  const any = new RE2(expressions.map((source) => `(?:${source})`).join('|'), 'g');
  const which = new RE2.Set(expressions);

  return {
    candidates(input) {
      const found: number[][] = expressions.map(() => []);
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
