/**
 * Text hidden in an encoding: a string leaf that is base64 of readable text, or that carries
 * percent-encoded characters. Findings in the decoded text are mapped back onto the encoded
 * string, so redaction replaces what the payload really holds.
 */
export interface DecodedText {
  text: string;
  encoding: 'base64' | 'percent';
  /** The span of the encoded string that holds decoded [start, end). */
  sourceSpan(start: number, end: number): [number, number];
}

/** Shorter strings are words and ids far more often than encodings worth a decode. */
const MIN_ENCODED_LENGTH = 16;
/** Larger blobs are files or images far more often than text; decoding them costs more than it finds. */
const MAX_BASE64_LENGTH = 256 * 1024;
const DATA_URL = /^data:[a-z]+\/[a-z0-9.+-]+;base64,/i;

/** The text a string hides, base64 first, then percent-encoding. */
export function decodeEncodedText(text: string): DecodedText | undefined {
  if (text.length < MIN_ENCODED_LENGTH) return undefined;
  return decodeBase64Text(text) ?? decodePercentText(text);
}

const BASE64 = '[A-Za-z0-9+/_-]';
const CAPITAL = '[A-Z]';
const SMALL = '[a-z]';
const NOT_LETTER = '[0-9+/_-]';
/**
 * Every whole string `looksLikeBase64` accepts, less its padding. It needs a capital, a small
 * letter, and a digit or more than 24 characters (padding counted): so the string holds a capital,
 * a small letter and a digit or symbol, in any order, or it is 23 or more letters. CamelCase
 * member names and capitalized words are neither. (A counted repetition of the whole alphabet would
 * say "16 or more" exactly, but in the union with the detectors' prefilters it multiplies RE2's DFA
 * states many times over.)
 */
const BASE64_BODY =
  `${BASE64}*(?:${CAPITAL}${BASE64}*(?:${SMALL}${BASE64}*${NOT_LETTER}|${NOT_LETTER}${BASE64}*${SMALL})` +
  `|${SMALL}${BASE64}*(?:${CAPITAL}${BASE64}*${NOT_LETTER}|${NOT_LETTER}${BASE64}*${CAPITAL})` +
  `|${NOT_LETTER}${BASE64}*(?:${CAPITAL}${BASE64}*${SMALL}|${SMALL}${BASE64}*${CAPITAL}))${BASE64}*` +
  '|[A-Za-z]{23,}';

/**
 * RE2, within a string's window of the NUL-joined texts: matches every string `decodeEncodedText`
 * may decode (a percent escape, a `data:` URL, or a base64 shape as the whole string), so the
 * prefilter pass finds them and no string needs a decode attempt of its own. Hex digests, UUIDs,
 * ids in capitals and capitalized words do not match. `test/decode-text.test.ts` holds it to that.
 */
export const ENCODED_TEXT_PREFILTER = `%[0-9A-Fa-f]{2}|(?:^|\\x00)(?:(?i:data:)|(?:${BASE64_BODY})={0,2}(?:$|\\x00))`;

/** Base64 (standard or URL-safe, padding optional) that decodes to printable UTF-8 text. */
export function decodeBase64Text(text: string): DecodedText | undefined {
  if (text.length < MIN_ENCODED_LENGTH || text.length > MAX_BASE64_LENGTH) return undefined;
  const prefix = text.charCodeAt(0) === 100 /* d */ ? (DATA_URL.exec(text)?.[0].length ?? 0) : 0;
  const body = prefix > 0 ? text.slice(prefix) : text;
  if (!looksLikeBase64(body)) return undefined;
  const decoded = Buffer.from(body, 'base64');
  const readable = readableUtf8(decoded);
  if (readable === undefined) return undefined;
  return { text: readable, encoding: 'base64', sourceSpan: () => [prefix, text.length] };
}

/** Base64 alphabet (standard or URL-safe) with padding only at the end, in mixed case: what may be base64 of text. */
export function looksLikeBase64(body: string): boolean {
  let padding = 0;
  let letters = false;
  let digits = false;
  let upper = false;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (code === 61 /* = */) {
      padding++;
      continue;
    }
    if (padding > 0) return false;
    if (code >= 97 && code <= 122) letters = true;
    else if (code >= 65 && code <= 90) upper = true;
    else if (code >= 48 && code <= 57) digits = true;
    else if (code !== 43 && code !== 47 && code !== 45 && code !== 95) return false;
  }
  // A hex digest or a word is valid base64 too, but never base64 of text: real encodings mix cases.
  return padding <= 2 && upper && letters && (digits || body.length > 24) && (body.length + padding) % 4 !== 1;
}

/** The text of UTF-8 bytes that are almost all printable, else undefined (binary data). */
function readableUtf8(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined;
  const text = bytes.toString('utf8');
  let unreadable = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfffd || (code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) unreadable++;
  }
  return unreadable <= text.length * 0.02 ? text : undefined;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Percent-encoding (`jane%40example.com`), with each decoded character mapped to its source. */
export function decodePercentText(text: string): DecodedText | undefined {
  if (!text.includes('%')) return undefined;
  const bytes: number[] = [];
  const sources: number[] = [];
  let escapes = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    if (code === 37 && i + 2 < text.length && hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0) {
      bytes.push(hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2)));
      sources.push(i);
      escapes++;
      i += 3;
    } else if (code < 128) {
      bytes.push(code);
      sources.push(i);
      i++;
    } else {
      // Not ASCII: the string is already decoded text, not a URL-encoded one.
      return undefined;
    }
  }
  if (escapes === 0) return undefined;
  const decoded = decodeUtf8WithSources(bytes, sources);
  if (decoded === undefined) return undefined;
  const { chars, charSources } = decoded;
  return {
    text: chars,
    encoding: 'percent',
    sourceSpan(start, end) {
      const sourceStart = charSources[start] ?? text.length;
      const sourceEnd = end < charSources.length ? charSources[end]! : text.length;
      return [sourceStart, sourceEnd];
    },
  };
}

function decodeUtf8WithSources(bytes: number[], sources: number[]): { chars: string; charSources: number[] } | undefined {
  let chars = '';
  const charSources: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length === 0 || i + length > bytes.length) return undefined;
    const char = length === 1 ? String.fromCharCode(lead) : Buffer.from(bytes.slice(i, i + length)).toString('utf8');
    if (char.includes('\ufffd')) return undefined;
    for (let unit = 0; unit < char.length; unit++) charSources.push(sources[i]!);
    chars += char;
    i += length;
  }
  return { chars, charSources };
}
