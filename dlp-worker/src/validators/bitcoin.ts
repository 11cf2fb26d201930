import { createHash } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A legacy (1…) or script (3…) address: base58 of version, 20-byte hash and a double-SHA-256 checksum. */
export function isValidBase58Address(address: string): boolean {
  let value = 0n;
  for (const char of address) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) return false;
    value = value * 58n + BigInt(digit);
  }
  const hex = value.toString(16).padStart(50, '0');
  if (hex.length !== 50) return false;
  const bytes = Buffer.from(hex, 'hex');
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const payload = bytes.subarray(0, 21);
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  return checksum.equals(bytes.subarray(21));
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let check = 1;
  for (const value of values) {
    const top = check >>> 25;
    check = ((check & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) check ^= GENERATORS[i]!;
  }
  return check >>> 0;
}

/** A segwit address (bc1…): bech32 (v0) or bech32m (v1+) checksum over the human-readable part and data. */
export function isValidBech32Address(address: string): boolean {
  const lowered = address.toLowerCase();
  if (lowered !== address && address.toUpperCase() !== address) return false;
  const separator = lowered.lastIndexOf('1');
  const hrp = lowered.slice(0, separator);
  if (hrp !== 'bc') return false;
  const data = [...lowered.slice(separator + 1)].map((char) => BECH32.indexOf(char));
  if (data.length < 7 || data.some((value) => value < 0)) return false;
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const check = polymod(expanded);
  return data[0] === 0 ? check === 1 : check === 0x2bc830a3;
}
