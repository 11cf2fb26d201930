/** Check-digit schemes of national and health identifiers; every input is digits only. */

function digitsOf(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0) - 48);
}

/** Sum of digits times weights (weights aligned left). */
export function weightedSum(digits: string, weights: readonly number[]): number {
  return digitsOf(digits).reduce((sum, digit, i) => sum + digit * (weights[i] ?? 0), 0);
}

/** ABA routing number: 3-7-1 weights mod 10, and a Federal Reserve prefix (00-12, 21-32, 61-72, 80). */
export function isValidAbaRouting(digits: string): boolean {
  if (!/^[0-9]{9}$/.test(digits)) return false;
  const prefix = Number(digits.slice(0, 2));
  const knownPrefix = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  return knownPrefix && weightedSum(digits, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 === 0;
}

/** UK NHS number: weights 10..2 mod 11; a check value of 10 is never issued. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  const check = 11 - (weightedSum(digits, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits.charCodeAt(9) - 48;
}

/** Dutch BSN "11-proof": weights 9..2 and -1, sum divisible by 11. */
export function isValidBsn(digits: string): boolean {
  if (!/^[0-9]{9}$/.test(digits) || digits === '000000000') return false;
  return weightedSum(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1]) % 11 === 0;
}

/** Brazilian CPF: two mod-11 check digits; repeated digits are invalid. */
export function isValidCpf(digits: string): boolean {
  if (!/^[0-9]{11}$/.test(digits) || /^(.)\1{10}$/.test(digits)) return false;
  const check = (length: number) => {
    const sum = weightedSum(digits.slice(0, length), Array.from({ length }, (_, i) => length + 1 - i));
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === digits.charCodeAt(9) - 48 && check(10) === digits.charCodeAt(10) - 48;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff checksum (Aadhaar). */
export function passesVerhoeff(digits: string): boolean {
  let check = 0;
  const reversed = digitsOf(digits).reverse();
  for (let i = 0; i < reversed.length; i++) check = VERHOEFF_D[check]![VERHOEFF_P[i % 8]![reversed[i]!]!]!;
  return check === 0;
}
