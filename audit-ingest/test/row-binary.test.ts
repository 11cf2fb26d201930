import { describe, expect, it } from 'vitest';
import { createRowBinaryWriter } from '../src/row-binary.ts';

function written(write: (writer: ReturnType<typeof createRowBinaryWriter>) => void): Buffer {
  const writer = createRowBinaryWriter(1);
  write(writer);
  return writer.finish();
}

/** A string as RowBinary spells it: its UTF-8 byte length in LEB128, then the bytes. */
function expectedString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length: number[] = [];
  let rest = bytes.length;
  do {
    length.push((rest & 0x7f) | (rest >= 0x80 ? 0x80 : 0));
    rest >>>= 7;
  } while (rest > 0);
  return Buffer.concat([Buffer.from(length), bytes]);
}

function uint64(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
}

describe('RowBinary writer', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'support'],
    ['42 characters of three UTF-8 bytes each (126 bytes, a one-byte length)', '€'.repeat(42)],
    ['43 characters of three bytes (129 bytes, a two-byte length)', '€'.repeat(43)],
    ['a long body with quotes, newlines and a NUL', `{"a":"x\\n;\u0000"}`.repeat(700)],
    ['characters outside the BMP', '🔑'.repeat(30)],
  ])('writes a string as its UTF-8 length and bytes: %s', (_, value) => {
    expect(written((writer) => writer.string(value))).toEqual(expectedString(value));
  });

  it('writes an array of strings as its length and each string, growing past its first buffer', () => {
    const values = Array.from({ length: 200 }, (_, index) => `group-${index}`);
    expect(written((writer) => writer.strings(values))).toEqual(Buffer.concat([Buffer.from([200, 1]), ...values.map(expectedString)]));
  });

  it('writes UInt64 from numbers and from decimal strings beyond 2^53', () => {
    expect(written((writer) => writer.uint64(0))).toEqual(uint64(0n));
    expect(written((writer) => writer.uint64(2 ** 40 + 5))).toEqual(uint64(2n ** 40n + 5n));
    expect(written((writer) => writer.uint64('123456789012345'))).toEqual(uint64(123456789012345n));
    expect(written((writer) => writer.uint64('9007199254740993'))).toEqual(uint64(9007199254740993n));
    expect(written((writer) => writer.uint64('18446744073709551615'))).toEqual(uint64(18446744073709551615n));
  });

  it.each(['-1', '1.5', '', '18446744073709551616', 'ten'])('refuses %j as a UInt64', (value) => {
    expect(() => written((writer) => writer.uint64(value))).toThrow(/not a UInt64/);
  });

  it('writes a UUID as its two halves, each little-endian, whatever its case', () => {
    const expected = Buffer.from('efcdab8967452301' + '1032547698badcfe', 'hex');
    expect(written((writer) => writer.uuid('01234567-89ab-cdef-fedc-ba9876543210'))).toEqual(expected);
    expect(written((writer) => writer.uuid('01234567-89AB-CDEF-FEDC-BA9876543210'))).toEqual(expected);
  });

  it.each(['01234567-89ab-cdef-fedc-ba987654321', '0123456789ab-cdef-fedc-ba9876543210-', '01234567-89ab-cdef-fedc-ba987654321g', ''])(
    'refuses %j as a UUID',
    (value) => {
      expect(() => written((writer) => writer.uuid(value))).toThrow(/not a UUID/);
    },
  );

  it('writes a time as signed milliseconds since the epoch', () => {
    const int64 = (value: bigint) => {
      const bytes = Buffer.alloc(8);
      bytes.writeBigInt64LE(value);
      return bytes;
    };
    expect(written((writer) => writer.dateTime64ms('2026-03-14 09:26:53.589'))).toEqual(int64(BigInt(Date.parse('2026-03-14T09:26:53.589Z'))));
    expect(written((writer) => writer.dateTime64ms('1969-12-31 23:59:59.999'))).toEqual(int64(-1n));
    expect(() => written((writer) => writer.dateTime64ms('2026-03-14T09:26:53.589Z'))).toThrow(/not a time/);
  });

  it('writes small integers little-endian, one value after another', () => {
    expect(
      written((writer) => {
        writer.uint8(1);
        writer.uint32(0x01020304);
        writer.string('x');
      }),
    ).toEqual(Buffer.from([1, 4, 3, 2, 1, 1, 0x78]));
  });
});
