/**
 * A copy of `buffer` with room for at least `bytes`, twice its size or more, taken from `spares`.
 * The memory `buffer` outgrew goes back to them when it holds nothing else (not a slice of Node's
 * shared pool), so `buffer` is not to be used after.
 */
export function grown(buffer: Buffer, bytes: number, spares: SpareBuffers = NO_SPARES): Buffer {
  const larger = spares.take(Math.max(bytes, 2 * buffer.length));
  buffer.copy(larger);
  if (holdsAllItsMemory(buffer)) spares.keep(buffer.buffer);
  return larger;
}

/** Whether `view` spans the whole of its memory, which can then move to another thread or be reused without touching anything else. */
export function holdsAllItsMemory(view: ArrayBufferView): boolean {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
}

/**
 * The first `bytes` of `buffer` in a buffer that owns all of its memory, which can then move to
 * another thread without a copy: `buffer` itself when it is just that.
 */
export function ownedPrefix(buffer: Buffer, bytes: number): Buffer {
  if (bytes === buffer.length && holdsAllItsMemory(buffer)) return buffer;
  const exact = Buffer.allocUnsafeSlow(bytes);
  buffer.copy(exact, 0, 0, bytes);
  return exact;
}

/**
 * Memory a thread keeps for its next large buffers. Memory fresh from the system costs a page
 * fault on the first write to each 4 KiB page, about 12 µs on the virtual machines we measure on:
 * writing each insert body into fresh memory (and copying it to size) made the preparing thread
 * fault about 0.17 times per event, 2 µs of its 12. The insert bodies and the packed record values
 * that the ingest passes between its two threads go back to the thread that fills them, which
 * writes into them again without a fault.
 */
export interface SpareBuffers {
  /** A buffer of at least `bytes` at the start of memory of its own: the smallest kept one that is large enough, if any. */
  take(bytes: number): Buffer;
  /** Keeps memory nothing uses any more for a later take; beyond `limit` buffers, the oldest goes. */
  keep(memory: ArrayBufferLike): void;
}

export function createSpareBuffers(limit: number): SpareBuffers {
  const kept: ArrayBufferLike[] = [];
  return {
    take(bytes) {
      let fits = -1;
      kept.forEach((memory, index) => {
        if (memory.byteLength >= bytes && (fits < 0 || memory.byteLength < kept[fits]!.byteLength)) fits = index;
      });
      if (fits < 0) return Buffer.allocUnsafeSlow(bytes);
      const [memory] = kept.splice(fits, 1);
      return Buffer.from(memory!);
    },
    keep(memory) {
      // A detached buffer (moved to another thread since) has no memory left to give.
      if (!(memory instanceof ArrayBuffer) || memory.byteLength === 0) return;
      kept.push(memory);
      if (kept.length > limit) kept.shift();
    },
  };
}

/** Keeps nothing: every take is new memory. */
export const NO_SPARES: SpareBuffers = { take: (bytes) => Buffer.allocUnsafeSlow(bytes), keep: () => undefined };
