import { describe, expect, it } from 'vitest';
import type { Finding } from '../../events/src/index.ts';
import type { RedactionStyle } from '../src/profile.ts';
import { redactPayload } from '../src/redact-payload.ts';
import { builtInEngine } from './support/engine.ts';

const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
const EMAIL = 'jane.doe@example.com';

const ALL_ACTIONS = ['block', 'redact', 'audit'] as const;

const engine = builtInEngine();

function findingsOf(payload: unknown, profileName = 'default'): Finding[] {
  const result = engine.scan(payload, engine.profile(profileName)!);
  if ('oversize' in result) throw new Error('unexpected oversize');
  return result.findings;
}

function redact(payload: unknown, actions: readonly ('block' | 'redact' | 'audit')[] = ['redact'], style: RedactionStyle = 'tag', profileName = 'default') {
  return redactPayload(payload, findingsOf(payload, profileName), { style, maskKeep: engine.maskKeep, actions });
}

/** The payload's skeleton: keys' positions, array lengths and leaf kinds, ignoring key names and string content. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') return Object.values(value).map(shapeOf);
  return value === null ? 'null' : typeof value === 'number' ? 'number-or-string' : typeof value === 'string' ? 'number-or-string' : typeof value;
}

describe('redactPayload', () => {
  it('replaces values inside string leaves with tags and keeps the rest of each string', () => {
    const payload = { customer: { note: `pay with ${CARD} please`, ssn: SSN, email: EMAIL }, ok: true };
    expect(redact(payload)).toEqual({
      customer: { note: 'pay with [REDACTED:payment_card] please', ssn: '[REDACTED:us_ssn]', email: EMAIL },
      ok: true,
    });
  });

  it('keeps valid JSON and the same shape', () => {
    const payload = {
      list: [`ssn ${SSN}`, 42, null, false, { deep: [[`card ${CARD}`]] }, 4111111111111111],
      [`${SSN}`]: 'key holds an ssn',
      text: 'line "quoted" \\ and \n newline',
    };
    const redacted = redact(payload);
    const reparsed = JSON.parse(JSON.stringify(redacted));
    expect(reparsed).toEqual(redacted);
    expect(shapeOf(redacted)).toEqual(shapeOf(payload));
    expect(JSON.stringify(redacted)).not.toContain(SSN);
    expect(JSON.stringify(redacted)).not.toContain('4111');
  });

  it('keeps the objects and arrays that hold no finding, and copies those that do, beside siblings named alike', () => {
    const payload = {
      a: { note: 'nothing here', list: ['plain'] },
      ab: { note: `ssn ${SSN}` },
      'a.b': ['plain'],
      a_b: [{ email: EMAIL }, { note: `card ${CARD}` }],
      b: { [SSN]: { inner: ['plain'] } },
    };
    const redacted = redact(payload) as typeof payload;
    expect(redacted).not.toBe(payload);
    expect(redacted.a).toBe(payload.a);
    expect(redacted['a.b']).toBe(payload['a.b']);
    expect(redacted.a_b[0]).toBe(payload.a_b[0]);
    expect(redacted.ab).toEqual({ note: 'ssn [REDACTED:us_ssn]' });
    expect(redacted.a_b[1]).toEqual({ note: 'card [REDACTED:payment_card]' });
    expect(redacted.b).toEqual({ '[REDACTED:us_ssn]': { inner: ['plain'] } });
  });

  it('does not modify the original payload', () => {
    const payload = { ssn: SSN, list: [SSN] };
    redact(payload);
    expect(payload).toEqual({ ssn: SSN, list: [SSN] });
  });

  it('masks letters and digits, keeping separators and a card\'s last four digits', () => {
    expect(redact({ card: `card ${CARD}.`, ssn: SSN }, ['redact'], 'mask')).toEqual({
      card: 'card **** **** **** 1111.',
      ssn: '***-**-6789',
    });
  });

  it('masks credentials entirely: no trailing characters are kept where the type does not allow it', () => {
    const key = 'ghp_R7q2Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7Ue';
    expect(redact({ note: `token ${key}` }, ['block'], 'mask')).toEqual({ note: `token ${'*'.repeat(3)}_${'*'.repeat(36)}` });
  });

  it('replaces a value with a keyed-hash token that is the same for the same value and differs for another', () => {
    const other = '5555 5555 5555 4444';
    const redacted = redact({ a: `card ${CARD}`, b: `again ${CARD.replace(/ /g, '-')}`, c: other }, ['redact'], 'hash') as Record<string, string>;
    const token = /\[REDACTED:payment_card:([0-9a-f]{12})\]/;
    const [a, b, c] = [redacted['a']!, redacted['b']!, redacted['c']!].map((text) => token.exec(text)?.[1]);
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(JSON.stringify(redacted)).not.toContain('4111');
  });

  it('redacts keys that hold findings and keeps colliding redacted keys apart', () => {
    const payload = { [SSN]: 1, '536-22-1234': 2, '[REDACTED:us_ssn]': 3, plain: 4 };
    const redacted = redact(payload) as Record<string, number>;
    expect(Object.values(redacted)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(redacted).sort()).toEqual(['[REDACTED:us_ssn]', '[REDACTED:us_ssn]#2', '[REDACTED:us_ssn]#3', 'plain']);
    expect(redacted['[REDACTED:us_ssn]']).toBe(3);
  });

  it('redacts values below a withheld key', () => {
    const payload = { [SSN]: { note: `card ${CARD}` } };
    expect(redact(payload)).toEqual({ '[REDACTED:us_ssn]': { note: 'card [REDACTED:payment_card]' } });
  });

  it('replaces only findings whose action is selected', () => {
    const payload = { text: `${EMAIL} ${SSN}` };
    expect(redact(payload, ['redact'])).toEqual({ text: `${EMAIL} [REDACTED:us_ssn]` });
    expect(redact(payload, ALL_ACTIONS)).toEqual({ text: '[REDACTED:email] [REDACTED:us_ssn]' });
  });

  it('keeps a __proto__ key as a plain member', () => {
    const payload = JSON.parse(`{"__proto__": {"ssn": "${SSN}"}, "other": 1}`);
    const redacted = redact(payload) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).toBe('{"__proto__":{"ssn":"[REDACTED:us_ssn]"},"other":1}');
  });

  it('turns a number leaf holding a finding into its redacted text', () => {
    expect(redact({ pan: 4111111111111111, qty: 3 })).toEqual({ pan: '[REDACTED:payment_card]', qty: 3 });
  });

  it('merges overlapping findings into one replacement', () => {
    const text = 'x 4111111111111111 y';
    const findings = [
      { detector: 'payment_card', type: 'financial', path: '$', start: 2, end: 18, confidence: 0.9, action: 'redact' as const },
      { detector: 'phone', type: 'pii', path: '$', start: 8, end: 20, confidence: 0.6, action: 'redact' as const },
    ];
    expect(redactPayload(text, findings, { style: 'tag', maskKeep: engine.maskKeep, actions: ['redact'] })).toBe('x [REDACTED:payment_card]');
  });

  it('replaces an encoded value whole, and the result stays a JSON string', () => {
    const encoded = Buffer.from(`card: ${CARD}`).toString('base64');
    const url = `https://shop.example/pay?card=${encodeURIComponent(CARD)}&ok=1`;
    expect(redact({ blob: encoded, url })).toEqual({ blob: '[REDACTED:payment_card]', url: 'https://shop.example/pay?card=[REDACTED:payment_card]&ok=1' });
  });
});
