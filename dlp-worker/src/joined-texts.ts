/**
 * The texts of a payload as one UTF-8 buffer, joined by NUL: RE2 is called once per pass over a
 * whole payload instead of once per string, and a call costs far more than a short string.
 */
export interface JoinedTexts {
  buffer: Buffer;
  texts: readonly string[];
  /**
   * byteStarts[i] is where text i starts; byteStarts[texts.length] is one past the end (plus the
   * separator). Computed on first use: a clean payload never needs it, and with non-ASCII text it
   * costs a UTF-8 length per string.
   */
  readonly byteStarts: Float64Array;
  ascii: boolean;
}

export function joinTexts(texts: readonly string[]): JoinedTexts {
  const joined = texts.length === 1 ? texts[0]! : texts.join('\0');
  const buffer = Buffer.from(joined, 'utf8');
  const ascii = buffer.length === joined.length;
  let byteStarts: Float64Array | undefined;
  return {
    buffer,
    texts,
    ascii,
    get byteStarts() {
      return (byteStarts ??= startsOf(texts, ascii));
    },
  };
}

function startsOf(texts: readonly string[], ascii: boolean): Float64Array {
  const byteStarts = new Float64Array(texts.length + 1);
  let position = 0;
  for (let i = 0; i < texts.length; i++) {
    byteStarts[i] = position;
    position += (ascii ? texts[i]!.length : Buffer.byteLength(texts[i]!, 'utf8')) + 1;
  }
  byteStarts[texts.length] = position;
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
