import { grown, NO_SPARES, type SpareBuffers } from './byte-buffers.ts';
import { clickHouseTimeMilliseconds } from './event-time.ts';

/**
 * ClickHouse's RowBinary format, written value by value into one growing buffer: each column's
 * value in the table's column order, little-endian numbers, strings as a LEB128 byte length and
 * their UTF-8. ClickHouse reads it without parsing text, where JSON cost it about as much CPU
 * per audit row as preparing the row did.
 */
export interface RowBinaryWriter {
  string(value: string): void;
  strings(values: readonly string[]): void;
  uint8(value: number): void;
  uint32(value: number): void;
  /** A non-negative integer, as a number or in decimal (Kafka offsets can exceed 2^53). */
  uint64(value: number | string): void;
  /** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, either case. */
  uuid(value: string): void;
  /** `YYYY-MM-DD hh:mm:ss.sss` in UTC (clickHouseTime) as DateTime64(3): milliseconds since the epoch. */
  dateTime64ms(value: string): void;
  /**
   * The bytes written, at the start of memory that holds nothing else, so that the memory can move
   * to another thread whole (and come back as a spare) rather than be copied.
   */
  finish(): Buffer;
}

/** A writer into memory taken from `spares`, for about `expectedBytes`. */
export function createRowBinaryWriter(expectedBytes: number, spares: SpareBuffers = NO_SPARES): RowBinaryWriter {
  let buffer = spares.take(Math.max(64, expectedBytes));
  let at = 0;

  function room(bytes: number): void {
    if (at + bytes > buffer.length) buffer = grown(buffer, at + bytes, spares);
  }

  function varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      buffer[at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buffer[at++] = rest;
  }

  /** A safe integer as a 64-bit two's complement, little-endian. */
  function int64(value: number): void {
    const high = Math.floor(value / TWO_TO_32);
    buffer.writeUInt32LE(value - high * TWO_TO_32, at);
    buffer.writeInt32LE(high, at + 4);
    at += 8;
  }

  function string(value: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8, and up to 127 bytes have a one-byte length:
    // a short string is written straight after that byte, and its length filled in afterwards.
    if (value.length <= SHORT_STRING) {
      room(1 + 3 * value.length);
      const bytes = shortStringWrite(buffer, value, at + 1);
      buffer[at] = bytes;
      at += 1 + bytes;
      return;
    }
    const bytes = Buffer.byteLength(value);
    room(5 + bytes);
    varint(bytes);
    at += buffer.write(value, at);
  }

  return {
    string,
    strings(values) {
      room(5);
      varint(values.length);
      for (const value of values) string(value);
    },
    uint8(value) {
      room(1);
      buffer[at++] = value;
    },
    uint32(value) {
      room(4);
      buffer.writeUInt32LE(value, at);
      at += 4;
    },
    uint64(value) {
      const bad = () => new RangeError(`not a UInt64: ${JSON.stringify(value)}`);
      if (typeof value === 'string' && !DECIMAL.test(value)) throw bad();
      const number = Number(value);
      room(8);
      if (Number.isSafeInteger(number) && number >= 0) {
        int64(number);
        return;
      }
      // Beyond 2^53 only decimal text is exact.
      if (typeof value === 'number' || BigInt(value) >= 2n ** 64n) throw bad();
      buffer.writeBigUInt64LE(BigInt(value), at);
      at += 8;
    },
    uuid(value) {
      const bytes = uuidBytes(value);
      room(16);
      // Two UInt64s, the UUID's first and last eight bytes, each little-endian.
      for (let byte = 0; byte < 8; byte += 1) {
        buffer[at + byte] = bytes[7 - byte]!;
        buffer[at + 8 + byte] = bytes[15 - byte]!;
      }
      at += 16;
    },
    dateTime64ms(value) {
      const milliseconds = clickHouseTimeMilliseconds(value);
      if (Number.isNaN(milliseconds)) throw new RangeError(`not a time as clickHouseTime writes it: ${JSON.stringify(value)}`);
      room(8);
      int64(milliseconds);
    },
    finish: () => buffer.subarray(0, at),
  };
}

const SHORT_STRING = 42;
const TWO_TO_32 = 2 ** 32;
const DECIMAL = /^\d+$/;

const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit += 1) {
  HEX_DIGIT['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_DIGIT['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

const UUID_BYTES = new Uint8Array(16);
const DASH = 0x2d;

/** The 16 bytes a UUID's text spells, in a buffer reused by every call. */
function uuidBytes(text: string): Uint8Array {
  const bad = () => new RangeError(`not a UUID: ${JSON.stringify(text)}`);
  if (text.length !== 36) throw bad();
  let nibbles = 0;
  for (let index = 0; index < 36; index += 1) {
    const code = text.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== DASH) throw bad();
      continue;
    }
    const digit = code < 128 ? HEX_DIGIT[code]! : -1;
    if (digit < 0) throw bad();
    const byte = nibbles >> 1;
    UUID_BYTES[byte] = nibbles % 2 === 0 ? digit << 4 : UUID_BYTES[byte]! | digit;
    nibbles += 1;
  }
  return UUID_BYTES;
}

/** Most short strings are ASCII, copied here in less time than a call into Buffer#write takes; any other goes to that call. */
function shortStringWrite(buffer: Buffer, value: string, at: number): number {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 0x80) return buffer.write(value, at);
    buffer[at + index] = code;
  }
  return value.length;
}
