import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/index.ts';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, recursively, with no whitespace', () => {
    // The example of RFC 8785 section 3.2.3.
    const value = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // Read the values off the text: JSON.parse would move the integer-like key "1" first.
    expect([...canonicalJson(value).matchAll(/:"([^"]+)"/g)].map((match) => match[1])).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: true })).toBe('{"a":true,"b":[3,{"a":null,"z":1}]}');
  });

  it('serializes numbers and strings as ECMAScript does (RFC 8785 section 3.2.2)', () => {
    expect(canonicalJson([333333333.33333329, 1e30, 4.5, 0.002, 1e-7, -0, 10])).toBe('[333333333.3333333,1e+30,4.5,0.002,1e-7,0,10]');
    expect(canonicalJson('\u20ac$\u000f\nA\'\u0042\u0022\u005c\\"/')).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
  });

  it('leaves out undefined members and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson(Number.NaN)).toThrow(/no representation/);
    expect(() => canonicalJson(1n)).toThrow(/bigint/);
  });
});
