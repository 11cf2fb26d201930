import RE2 from 're2';
import { textAt, textWindow, type JoinedTexts } from './joined-texts.ts';

/**
 * The first stage of a scan. The union of the detectors' prefilters, tested chunk by chunk, says
 * whether a payload holds anything at all; in a chunk that does, a pass of the union as one RE2
 * expression finds the strings that may hold a match, and an RE2.Set of the prefilters, run on
 * each such string alone, says for which detectors. One pass of the union costs far less than the
 * several sets the detectors' own patterns take, and most strings of a payload hold no prefilter.
 *
 * Nothing is missed: a detector's prefilter matches inside every match of its pattern, within the
 * string the match's value lies in (see `Detector.prefilter`). Such a string holds a union match,
 * the pass below visits every string holding one, and the set then names the detector.
 */
export interface Prefilter {
  /** Per expression (in the order given), the indices of the texts holding a match of it, ascending; no entry when none. */
  candidates(input: JoinedTexts): Array<number[] | undefined>;
}

/**
 * Bytes tested at a time for any prefilter match. The union's DFA has more states than RE2's cache
 * holds over long texts: a single RE2 expression that refills its cache too often gives up and
 * falls back to RE2's NFA, about forty times slower (a clean megabyte took over 100 ms), where an
 * RE2.Set keeps its DFA. So the set answers whether a chunk holds anything at all, and only a chunk
 * that does is searched for positions, which bounds any slow search to one chunk.
 */
export const CHUNK_BYTES = 16 * 1024;

/** `expressions`: RE2 sources, each matching within a single text's window (the text and the separators around it). */
export function createPrefilter(expressions: readonly string[]): Prefilter {
  const union = expressions.map((source) => `(?:${source})`).join('|');
  const anyIn = new RE2.Set([union]);
  const any = new RE2(union, 'g');
  const which = new RE2.Set(expressions);

  return {
    candidates(input) {
      const found: number[][] = [];
      const { buffer } = input;
      let last = -1;
      for (let chunkStart = 0; chunkStart < buffer.length; ) {
        // Chunks end after a separator and are tested from the one before them: each text's window
        // lies whole in the bytes its chunk is tested on. (A NUL inside a text may end a chunk too:
        // prefilters admit NUL only as a boundary, so none matches across it.) Found by byte, not
        // by text, so a clean payload never computes where each text starts.
        const nextSeparator = chunkStart + CHUNK_BYTES < buffer.length ? buffer.indexOf(0, chunkStart + CHUNK_BYTES) : -1;
        const chunkEnd = nextSeparator < 0 ? buffer.length : nextSeparator + 1;
        const from = Math.max(chunkStart - 1, 0);
        const chunk = from === 0 && chunkEnd === buffer.length ? buffer : buffer.subarray(from, chunkEnd);
        if (anyIn.test(chunk)) last = positionsIn(input, from, chunkEnd, last, found);
        chunkStart = chunkEnd;
      }
      return found;
    },
  };

  /** Finds the texts holding a union match in bytes [from, to), after text `last`; returns the last such text. */
  function positionsIn(input: JoinedTexts, from: number, to: number, last: number, found: number[][]): number {
    const { buffer } = input;
    any.lastIndex = from;
    const searched = to === buffer.length ? buffer : buffer.subarray(0, to);
    while (any.test(searched)) {
      // The byte before lastIndex is the union match's last: in the text (or its separator) that holds it.
      const text = Math.max(textAt(input, any.lastIndex - 1), last + 1);
      const [windowFrom, windowTo] = textWindow(input, text);
      for (const index of which.match(buffer.subarray(windowFrom, windowTo))) (found[index] ??= []).push(text);
      last = text;
      if (windowTo >= to) break;
      // Resume at the separator after this text: it may be the boundary a prefilter in the next text starts with.
      any.lastIndex = windowTo - 1;
    }
    any.lastIndex = 0;
    return last;
  }
}
