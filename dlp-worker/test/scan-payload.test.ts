import { describe, expect, it } from 'vitest';
import { DEFAULT_DLP_PROFILE, type DlpProfile } from '../src/profile.ts';
import { scanPayload } from '../src/scan-payload.ts';

const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
const EMAIL = 'jane.doe@example.com';
const AWS_KEY = 'AKIAZ7Q3JX4LMN2RTUVW';

/** Reads the string a path with no withheld keys points to, to check offsets against the original. */
function valueAt(payload: unknown, path: string): string {
  const segments = path.slice(1).match(/\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\]/g) ?? [];
  let current: unknown = payload;
  for (const segment of segments) {
    const key = segment.startsWith('.') ? segment.slice(1) : JSON.parse(segment.slice(1, -1));
    current = (current as Record<string | number, unknown>)[key];
  }
  return String(current);
}

describe('scanPayload', () => {
  it('locates findings by JSON path, and offsets slice the original string to the value', () => {
    const payload = {
      customer: { name: 'Jane', card: `card ${CARD} exp 12/29`, contact: `mail ${EMAIL} or ssn ${SSN}` },
      items: [{ note: 'ok' }, { note: 'fine' }, { note: `key=${AWS_KEY}` }],
      'first name': `😀 ${SSN}`,
      flags: [true, null, 3],
    };
    const findings = scanPayload(payload, DEFAULT_DLP_PROFILE);
    expect(findings.map((f) => [f.path, f.detector])).toEqual([
      ['$.customer.card', 'payment_card'],
      ['$.customer.contact', 'email'],
      ['$.customer.contact', 'us_ssn'],
      ['$.items[2].note', 'aws_access_key_id'],
      ['$["first name"]', 'us_ssn'],
    ]);
    const expected = [CARD, EMAIL, SSN, AWS_KEY, SSN];
    findings.forEach((finding, i) => {
      expect(valueAt(payload, finding.path).slice(finding.start, finding.end)).toBe(expected[i]);
    });
  });

  it('reports the action, type and confidence from the profile and detector', () => {
    const [finding] = scanPayload({ card: CARD }, DEFAULT_DLP_PROFILE);
    expect(finding).toEqual({
      detector: 'payment_card',
      type: 'financial',
      path: '$.card',
      start: 0,
      end: CARD.length,
      confidence: 0.9,
      action: 'redact',
    });
  });

  it('scans a bare string payload at the root path', () => {
    expect(scanPayload(`ssn ${SSN}`, DEFAULT_DLP_PROFILE)).toMatchObject([{ path: '$', start: 4, end: 15 }]);
  });

  it('scans number leaves as their decimal text', () => {
    expect(scanPayload({ pan: 4111111111111111 }, DEFAULT_DLP_PROFILE)).toMatchObject([
      { path: '$.pan', detector: 'payment_card', start: 0, end: 16 },
    ]);
  });

  it('scans keys and withholds a sensitive key from every path, using its position', () => {
    const payload = { ok: 1, [EMAIL]: { [SSN]: 'x', note: `ssn ${SSN}` } };
    const findings = scanPayload(payload, DEFAULT_DLP_PROFILE);
    expect(findings.map((f) => [f.path, f.detector, f.start, f.end])).toEqual([
      ['$[#1]~', 'email', 0, EMAIL.length],
      ['$[#1][#0]~', 'us_ssn', 0, SSN.length],
      ['$[#1].note', 'us_ssn', 4, 15],
    ]);
    expect(JSON.stringify(findings)).not.toContain(EMAIL);
    expect(JSON.stringify(findings)).not.toContain(SSN);
  });

  it('runs only the detectors the profile lists', () => {
    const cardsOnly: DlpProfile = { detectors: { payment_card: 'block' }, redaction: 'tag' };
    const findings = scanPayload({ a: `${EMAIL} ${SSN} ${CARD}` }, cardsOnly);
    expect(findings.map((f) => f.detector)).toEqual(['payment_card']);
  });

  it('never puts a value in a finding', () => {
    const findings = scanPayload({ text: `${CARD} ${SSN} ${EMAIL} ${AWS_KEY}` }, DEFAULT_DLP_PROFILE);
    expect(findings).toHaveLength(4);
    const serialized = JSON.stringify(findings);
    for (const value of [CARD, SSN, EMAIL, AWS_KEY, '4111']) expect(serialized).not.toContain(value);
  });

  it('refuses values JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    for (const payload of [cyclic, { n: 10n }, { when: new Date(0) }, { f: () => 1 }]) {
      expect(() => scanPayload(payload, DEFAULT_DLP_PROFILE)).toThrow(
        expect.objectContaining({ code: 'GH_ERR_DLP_PAYLOAD_UNSCANNABLE' }),
      );
    }
  });

  it('accepts the same object reached twice when it is not a cycle', () => {
    const shared = { ssn: SSN };
    expect(scanPayload({ a: shared, b: shared }, DEFAULT_DLP_PROFILE).map((f) => f.path)).toEqual(['$.a.ssn', '$.b.ssn']);
  });

  it('refuses payloads nested deeper than the limit instead of overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => scanPayload(deep, DEFAULT_DLP_PROFILE)).toThrow(/nested deeper/);
  });
});
