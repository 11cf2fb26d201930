import { Faker, en } from '@faker-js/faker';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { decodeEncodedText, ENCODED_TEXT_PREFILTER, looksLikeBase64 } from '../src/decode-text.ts';

// The prefilter pass stands in for a decode attempt on every string: a string it does not select
// is never decoded. So it must select every string `decodeEncodedText` decodes, and every string
// `looksLikeBase64` accepts (the decode then only depends on the bytes).
const selector = new RE2(ENCODED_TEXT_PREFILTER);
/** As the scanner sees a string: alone, first or last, or between NUL separators. */
const selected = (text: string) => [text, `\0${text}`, `${text}\0`, `\0${text}\0`].every((window) => selector.test(window));

const f = new Faker({ locale: [en], seed: 41 });

describe('ENCODED_TEXT_PREFILTER', () => {
  it('selects base64 of text in every alphabet and padding, data URLs and percent-encoding', () => {
    const texts = [
      ...Array.from({ length: 300 }, () => f.lorem.sentence()),
      ...Array.from({ length: 100 }, () => `ssn ${f.string.numeric(3)}-${f.string.numeric(2)}-${f.string.numeric(4)} ${f.internet.email()}`),
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '{"password": "hunter2hunter2"}',
      'zzzzzzzzzzzzzzzzzzzz',
    ];
    let decoded = 0;
    for (const text of texts) {
      const standard = Buffer.from(text).toString('base64');
      for (const encoded of [standard, standard.replace(/=+$/, ''), Buffer.from(text).toString('base64url'), `data:text/plain;base64,${standard}`, encodeURIComponent(text)]) {
        if (decodeEncodedText(encoded) === undefined) continue;
        decoded++;
        expect(selected(encoded), encoded).toBe(true);
      }
    }
    expect(decoded).toBeGreaterThan(1500);
  });

  it('selects every string of 16 or more characters the base64 shape check accepts', () => {
    // Few letters, so that every mix of capitals, small letters, digits, symbols and padding occurs.
    const alphabet = ['A', 'Z', 'a', 'z', '0', '9', '+', '/', '-', '_', '=', ' ', '.'];
    let accepted = 0;
    for (let i = 0; i < 40_000; i++) {
      const length = 16 + f.number.int({ max: 24 });
      const text = f.helpers.multiple(() => f.helpers.arrayElement(alphabet), { count: length }).join('');
      // Runs of one letter class reach the "23 letters, no digit" and "capital first, small after" cases.
      const shaped = i % 2 === 0 ? text : `${f.helpers.arrayElement(['A', 'a', '0', ''])}${'a'.repeat(length - 3)}${f.helpers.arrayElement(['', '=', '=='])}`;
      if (!looksLikeBase64(shaped)) continue;
      accepted++;
      expect(selected(shaped), shaped).toBe(true);
    }
    expect(accepted).toBeGreaterThan(2000);
  });

  it('passes over hex digests, UUIDs, ids in capitals, words, camelCase names and timestamps', () => {
    const common = [
      f.git.commitSha(),
      f.string.uuid(),
      f.string.alphanumeric({ length: 20, casing: 'upper' }),
      'ORD-2026-123456',
      'Electronics',
      'structuredContent',
      'isError',
      '2026-03-01T10:20:30.000Z',
      'The quick brown fox jumps over the lazy dog',
      '100% sure',
    ];
    for (const text of common) expect(selected(text), text).toBe(false);
  });
});
