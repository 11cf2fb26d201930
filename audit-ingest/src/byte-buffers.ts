/** A copy of `buffer` with room for at least `bytes`: twice its size, or more if that is not enough. */
export function grown(buffer: Buffer, bytes: number): Buffer {
  const larger = Buffer.allocUnsafeSlow(Math.max(bytes, 2 * buffer.length));
  buffer.copy(larger);
  return larger;
}

/**
 * The first `bytes` of `buffer` in a buffer that owns all of its memory, which can then move to
 * another thread without a copy: `buffer` itself when it is just that.
 */
export function ownedPrefix(buffer: Buffer, bytes: number): Buffer {
  if (bytes === buffer.length && buffer.byteOffset === 0 && buffer.buffer.byteLength === bytes) return buffer;
  const exact = Buffer.allocUnsafeSlow(bytes);
  buffer.copy(exact, 0, 0, bytes);
  return exact;
}
