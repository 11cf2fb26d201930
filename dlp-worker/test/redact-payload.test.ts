import { describe, expect, it } from 'vitest';
import { DEFAULT_DLP_PROFILE, type DlpProfile } from '../src/profile.ts';
import { redactPayload } from '../src/redact-payload.ts';
import { scanPayload } from '../src/scan-payload.ts';

const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
const EMAIL = 'jane.doe@example.com';

const ALL_ACTIONS = ['block', 'redact', 'audit'] as const;

function redact(payload: unknown, profile: DlpProfile = DEFAULT_DLP_PROFILE, actions: readonly ('block' | 'redact' | 'audit')[] = ['redact']) {
  return redactPayload(payload, scanPayload(payload, profile), { style: profile.redaction, actions });
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

  it('does not modify the original payload', () => {
    const payload = { ssn: SSN, list: [SSN] };
    redact(payload);
    expect(payload).toEqual({ ssn: SSN, list: [SSN] });
  });

  it('masks letters and digits, keeping separators and a card\'s last four digits', () => {
    const masking: DlpProfile = { ...DEFAULT_DLP_PROFILE, redaction: 'mask' };
    expect(redact({ card: `card ${CARD}.`, ssn: SSN }, masking)).toEqual({
      card: 'card **** **** **** 1111.',
      ssn: '***-**-****',
    });
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
    expect(redact(payload, DEFAULT_DLP_PROFILE, ['redact'])).toEqual({ text: `${EMAIL} [REDACTED:us_ssn]` });
    expect(redact(payload, DEFAULT_DLP_PROFILE, ALL_ACTIONS)).toEqual({ text: '[REDACTED:email] [REDACTED:us_ssn]' });
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
    expect(redactPayload(text, findings, { style: 'tag', actions: ['redact'] })).toBe('x [REDACTED:payment_card]');
  });
});
