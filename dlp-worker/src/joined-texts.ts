import { isAscii } from 'node:buffer';
import type { TextList } from './text-list.ts';

/**
 * The texts of a payload as one UTF-8 buffer, joined by NUL: RE2 is called once per pass over a
 * whole payload instead of once per string, and a call costs far more than a short string.
 */
export interface JoinedTexts {
  buffer: Buffer;
  texts: TextList;
  /**
   * byteStarts[i] is where text i starts; byteStarts[texts.length] is one past the end (plus the
   * separator). Computed on first use: a payload without prefilter matches never needs it.
   */
  readonly byteStarts: Float64Array;
  ascii: boolean;
}

/**
 * Where joins write their bytes, reused from scan to scan: allocating a buffer per payload costs
 * more than filling it. A JoinedTexts stays valid until the next join into the same space.
 */
export interface JoinSpace {
  bytes: Buffer;
}

export function createJoinSpace(): JoinSpace {
  return { bytes: Buffer.alloc(0) };
}

/** Joins a chunk of texts at a time (see TextList). */
export function joinTexts(texts: TextList, space: JoinSpace): JoinedTexts {
  let chars = 0;
  let written = 0;
  const { chunks } = texts;
  for (let i = 0; i < chunks.length; i++) {
    const joined = chunks[i]!.join('\0');
    const chunk = i < chunks.length - 1 ? `${joined}\0` : joined;
    chars += chunk.length;
    written = append(space, written, chunk);
  }
  const buffer = space.bytes.subarray(0, written);
  return new JoinedTextsInSpace(buffer, texts, buffer.length === chars);
}

/**
 * A class rather than an object literal with a getter: V8 gives each such literal a hidden class
 * of its own, kept in the old generation, and a scan per payload made that most of the garbage
 * collector's work.
 */
class JoinedTextsInSpace implements JoinedTexts {
  readonly buffer: Buffer;
  readonly texts: TextList;
  readonly ascii: boolean;
  #byteStarts: Float64Array | undefined;

  constructor(buffer: Buffer, texts: TextList, ascii: boolean) {
    this.buffer = buffer;
    this.texts = texts;
    this.ascii = ascii;
  }

  get byteStarts(): Float64Array {
    return (this.#byteStarts ??= startsOf(this.texts, this.buffer, this.ascii));
  }
}

/** Writes `text` as UTF-8 after the first `written` bytes of the space, growing it as needed; returns the new length. */
function append(space: JoinSpace, written: number, text: string): number {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit; only when that might not fit is the exact length worth computing.
  if (space.bytes.length - written < text.length * 3) {
    const needed = written + Buffer.byteLength(text, 'utf8');
    if (needed > space.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, space.bytes.length * 2));
      space.bytes.copy(grown, 0, 0, written);
      space.bytes = grown;
    }
  }
  return written + space.bytes.write(text, written, 'utf8');
}

/** How many runs a run of texts with non-ASCII bytes is split into, down to single texts. */
const ASCII_RUN_SPLIT = 16;

/**
 * Byte starts from character starts: a run of texts whose bytes are all ASCII has as many bytes
 * as characters, and one native check says so for the whole run. Only runs holding non-ASCII text
 * are split, down to the single texts that need a UTF-8 length: payloads are mostly ASCII.
 */
function startsOf(texts: TextList, buffer: Buffer, ascii: boolean): Float64Array {
  const charStarts = new Float64Array(texts.length + 1);
  for (let i = 0; i < texts.length; i++) charStarts[i + 1] = charStarts[i]! + texts.at(i).length + 1;
  if (ascii) return charStarts;
  const byteStarts = new Float64Array(texts.length + 1);
  /** Places texts [first, end) from byte `position`; returns where the next text starts. */
  const place = (first: number, end: number, position: number): number => {
    const chars = charStarts[end]! - charStarts[first]!;
    if (isAscii(buffer.subarray(position, position + chars))) {
      for (let i = first; i < end; i++) byteStarts[i] = position + charStarts[i]! - charStarts[first]!;
      return position + chars;
    }
    if (end - first === 1) {
      byteStarts[first] = position;
      return position + Buffer.byteLength(texts.at(first), 'utf8') + 1;
    }
    const step = Math.ceil((end - first) / ASCII_RUN_SPLIT);
    for (let run = first; run < end; run += step) position = place(run, Math.min(run + step, end), position);
    return position;
  };
  byteStarts[texts.length] = place(0, texts.length, 0);
  return byteStarts;
}

/** The text holding a byte position (a separator belongs to the text before it): the last whose start is at or before it. */
export function textAt(input: JoinedTexts, byte: number): number {
  const starts = input.byteStarts;
  let low = 0;
  let high = input.texts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= byte) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The UTF-16 offset within text `text` of a byte position inside it. */
export function charOffset(input: JoinedTexts, text: number, byte: number): number {
  const start = input.byteStarts[text]!;
  return input.ascii ? byte - start : input.buffer.toString('utf8', start, byte).length;
}

/**
 * The bytes a match with its value in text `text` can touch: the text with the separator on each
 * side (a boundary character of the pattern may be that NUL), exactly as in the whole buffer.
 */
export function textWindow(input: JoinedTexts, text: number): [number, number] {
  const from = text > 0 ? input.byteStarts[text]! - 1 : 0;
  return [from, Math.min(input.byteStarts[text + 1]!, input.buffer.length)];
}
