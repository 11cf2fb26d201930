import { describe, expect, it } from 'vitest';
import { createSpareBuffers, grown } from '../src/byte-buffers.ts';

describe('spare buffers', () => {
  it('hands out the smallest kept memory that is large enough, each piece once, and new memory when none is', () => {
    const spares = createSpareBuffers(4);
    const small = new ArrayBuffer(100);
    const large = new ArrayBuffer(1000);
    spares.keep(large);
    spares.keep(small);

    const first = spares.take(80);
    expect(first.buffer).toBe(small);
    expect(first.byteOffset).toBe(0);
    expect(first.length).toBe(100);
    expect(spares.take(80).buffer).toBe(large);
    const fresh = spares.take(80);
    expect(fresh.buffer).not.toBe(small);
    expect(fresh.buffer).not.toBe(large);
    expect(fresh.length).toBe(80);
  });

  it('takes new memory when every kept piece is too small, and keeps the piece for later', () => {
    const spares = createSpareBuffers(4);
    const small = new ArrayBuffer(16);
    spares.keep(small);
    expect(spares.take(64).length).toBe(64);
    expect(spares.take(16).buffer).toBe(small);
  });

  it('keeps at most `limit` pieces, letting the oldest go, and no memory that moved to another thread', () => {
    const spares = createSpareBuffers(2);
    const [oldest, middle, newest] = [new ArrayBuffer(10), new ArrayBuffer(10), new ArrayBuffer(10)];
    for (const memory of [oldest, middle, newest]) spares.keep(memory);
    const moved = new ArrayBuffer(10);
    structuredClone(moved, { transfer: [moved] });
    spares.keep(moved);
    const taken = [spares.take(10).buffer, spares.take(10).buffer];
    expect(taken).toEqual(expect.arrayContaining([middle, newest]));
    expect(taken).not.toContain(oldest);
    expect([oldest, middle, newest, moved]).not.toContain(spares.take(10).buffer);
  });

  it('grows a buffer into kept memory, copying what it held, and keeps the memory it outgrew', () => {
    const spares = createSpareBuffers(2);
    const kept = new ArrayBuffer(64);
    spares.keep(kept);
    const outgrown = Buffer.allocUnsafeSlow(3);
    outgrown.write('abc');
    const memory = outgrown.buffer;
    const larger = grown(outgrown, 20, spares);
    expect(larger.buffer).toBe(kept);
    expect(larger.subarray(0, 3).toString()).toBe('abc');
    expect(spares.take(3).buffer).toBe(memory);
  });

  it('keeps no slice of memory shared with other buffers when growing one', () => {
    const spares = createSpareBuffers(2);
    const pooled = Buffer.from('abc');
    expect(grown(pooled, 20, spares).subarray(0, 3).toString()).toBe('abc');
    expect(spares.take(1).buffer).not.toBe(pooled.buffer);
  });
});
