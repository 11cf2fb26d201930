/**
 * Texts per chunk of a TextList (a power of two, so an index splits by shift and mask). A chunk
 * stays in V8's young generation, and a join of one chunk stays a young string.
 */
export const TEXTS_PER_CHUNK = 4096;
const CHUNK_SHIFT = Math.log2(TEXTS_PER_CHUNK);
const IN_CHUNK = TEXTS_PER_CHUNK - 1;

/**
 * The texts of a payload, in order, held in chunks. A megabyte of rows has tens of thousands of
 * strings: one array of them grows into V8's large-object space, where every regrowth copies the
 * whole and every store costs several times more, which made the walk of a clean megabyte more
 * than twice as slow. Joins also build their strings a chunk at a time: a single string of a whole
 * large payload is allocated outside the young generation and costs about twice as much per byte.
 */
export class TextList {
  /** Chunks of TEXTS_PER_CHUNK texts but the last, which is empty only when the list is. */
  readonly chunks: string[][] = [[]];
  length = 0;

  static of(texts: readonly string[]): TextList {
    const list = new TextList();
    for (const text of texts) list.push(text);
    return list;
  }

  /** Appends a text and returns its index. */
  push(text: string): number {
    let last = this.chunks[this.chunks.length - 1]!;
    if (last.length === TEXTS_PER_CHUNK) this.chunks.push((last = []));
    last.push(text);
    return this.length++;
  }

  at(index: number): string {
    return this.chunks[index >>> CHUNK_SHIFT]![index & IN_CHUNK]!;
  }
}
