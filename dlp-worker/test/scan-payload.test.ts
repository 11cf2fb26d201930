import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../events/src/index.ts';
import { builtInEngine, findAll, TEST_HASH_KEY } from './support/engine.ts';

const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
const EMAIL = 'jane.doe@example.com';
const AWS_KEY = 'AKIAZ7Q3JX4LMN2RTUVW';

const engine = builtInEngine({
  profiles: {
    cards: { detectors: { payment_card: 'block' } },
    'cards-no-tests': { detectors: { payment_card: 'redact' }, ignore_test_values: true },
    'pii-strict': { types: { pii: 'redact' }, detectors: { phone: 'off' }, min_confidence: 0.8 },
    small: { types: { pii: 'audit' }, max_payload_chars: 10 },
  },
});

function scan(payload: unknown, profileName = 'default'): Finding[] {
  const result = engine.scan(payload, engine.profile(profileName)!);
  if ('oversize' in result) throw new Error('unexpected oversize');
  return result.findings;
}

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
    const findings = scan(payload);
    expect(findings.map((f) => [f.path, f.detector])).toEqual([
      ['$.customer.card', 'payment_card'],
      ['$.customer.contact', 'email'],
      ['$.customer.contact', 'us_ssn'],
      ['$.items[2].note', 'aws_access_key_id'],
      ['$["first name"]', 'us_ssn'],
    ]);
    const expected = [CARD, EMAIL, SSN, AWS_KEY, SSN];
    findings.forEach((finding, i) => expect(valueAt(payload, finding.path).slice(finding.start, finding.end)).toBe(expected[i]));
  });

  it('reports action, type, confidence and the keyed hash of the normalized value, never the value', () => {
    const [finding] = scan({ value: CARD });
    const expectedHash = createHmac('sha256', TEST_HASH_KEY).update('4111111111111111').digest('hex');
    expect(finding).toEqual({ detector: 'payment_card', type: 'financial', path: '$.value', start: 0, end: CARD.length, confidence: 0.9, action: 'redact', hash: expectedHash });
    expect(scan({ other: `cc: ${CARD.replace(/ /g, '-')}` })[0]!.hash).toBe(expectedHash);
    expect(builtInEngine({}).hasher.hash('x')).toBe(engine.hasher.hash('x'));
  });

  it('scans a bare string payload at the root path, and number leaves as their decimal text', () => {
    expect(scan(`ssn ${SSN}`)).toMatchObject([{ path: '$', start: 4, end: 15 }]);
    expect(scan({ pan: 4111111111111111 })).toMatchObject([{ path: '$.pan', detector: 'payment_card', start: 0, end: 16 }]);
  });

  it('scans keys and withholds a sensitive key from every path, using its position', () => {
    const payload = { ok: 1, [EMAIL]: { [SSN]: 'x', note: `ssn ${SSN}` } };
    const findings = scan(payload);
    expect(findings.map((f) => [f.path, f.detector, f.start, f.end])).toEqual([
      ['$[#1]~', 'email', 0, EMAIL.length],
      ['$[#1][#0]~', 'us_ssn', 0, SSN.length],
      ['$[#1].note', 'us_ssn', 4, 15],
    ]);
    for (const value of [EMAIL, SSN]) expect(JSON.stringify(findings)).not.toContain(value);
  });

  it('runs only the detectors the profile enables, by type or by id, and honours "off" and min_confidence', () => {
    expect(scan({ a: `${EMAIL}, ${SSN}, ${CARD}` }, 'cards').map((f) => f.detector)).toEqual(['payment_card']);
    const pii = scan({ a: `${EMAIL} call +1 415 555 2671 from host 203.0.113.9`, b: 'at 198.51.100.7' }, 'pii-strict');
    // phone is off; an IPv4 has base confidence 0.75, below the profile's 0.8 unless a word like "host" raises it.
    expect(pii.map((f) => [f.path, f.detector])).toEqual([['$.a', 'email'], ['$.a', 'ipv4']]);
  });

  it('raises confidence for context words near the value or in the member name, and lowers it for contrary ones', () => {
    const confidenceOf = (payload: unknown, detector: string) => findAll(payload).find((f) => f.detector === detector)?.confidence;
    expect(confidenceOf({ note: 'host 203.0.113.9' }, 'ipv4')).toBe(0.9);
    expect(confidenceOf({ note: '203.0.113.9' }, 'ipv4')).toBe(0.75);
    expect(confidenceOf({ client_ip: '203.0.113.9' }, 'ipv4')).toBe(0.9);
    expect(confidenceOf({ note: 'version 10.2.0.1' }, 'ipv4')).toBeUndefined();
    expect(confidenceOf({ note: 'SIN 130 692 544' }, 'canada_sin')).toBe(0.9);
    expect(confidenceOf({ socialInsuranceNumber: '130 692 544' }, 'canada_sin')).toBe(0.9);
    expect(confidenceOf({ note: 'using 130 692 544' }, 'canada_sin')).toBeUndefined();
  });

  it('finds whole values by member name where the value alone has no shape', () => {
    const findings = findAll({ db: { password: 'Qm7Xp2Lz9Rk!', username: 'app' }, routing_number: '021000021', nextPageToken: 'CAESBggDEAEYAQxZ9q' });
    expect(findings.map((f) => [f.path, f.detector])).toEqual([
      ['$.db.password', 'generic_secret'],
      ['$.routing_number', 'us_bank_routing'],
    ]);
  });

  it('lets a specific credential win over the generic secret at the same place', () => {
    const token = 'ghp_R7q2Lm9Xw4Tz8Kp1Vn6Bc3Hd5Jf0Gs2Ya7Ue';
    expect(findAll({ token }).map((f) => f.detector)).toEqual(['github_token']);
    expect(findAll({ note: `GITHUB_TOKEN=${token}` }).map((f) => f.detector)).toEqual(['github_token']);
  });

  it('decodes base64 and percent-encoded strings and maps findings back onto the encoded text', () => {
    const encoded = Buffer.from(`{"ssn": "${SSN}"}`).toString('base64');
    const url = `https://x.example/?to=${encodeURIComponent(EMAIL)}&ssn=${SSN}`;
    const findings = scan({ blob: encoded, url, image: Buffer.from([0, 1, 2, 255, 254, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]).toString('base64') }, 'strict');
    expect(findings.map((f) => [f.path, f.detector, f.start, f.end])).toEqual([
      ['$.blob', 'us_ssn', 0, encoded.length],
      ['$.url', 'email', 22, 22 + encodeURIComponent(EMAIL).length],
      ['$.url', 'us_ssn', url.length - SSN.length, url.length],
    ]);
    expect(findings.filter((f) => f.detector === 'email')).toHaveLength(1);
  });

  it('skips published test values only where the profile asks', () => {
    expect(scan({ card: CARD }, 'cards')).toHaveLength(1);
    expect(scan({ card: CARD }, 'cards-no-tests')).toEqual([]);
    expect(scan({ card: '4539 1488 0343 6467' }, 'cards-no-tests')).toHaveLength(1);
  });

  it('does not scan a payload over the size limit', () => {
    expect(engine.scan({ email: EMAIL }, engine.profile('small')!)).toEqual({ oversize: expect.any(Number), findings: [] });
  });

  it('refuses values JSON cannot hold, and payloads nested deeper than the limit', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    // A cycle far from the root, where the walk keeps its open containers in a set rather than an array.
    const chain: Array<Record<string, unknown>> = [{ ssn: SSN }];
    for (let i = 0; i < 40; i++) chain.unshift({ next: chain[0] });
    chain[40]!['back'] = chain[30];
    const outer = chain[0];
    for (const payload of [cyclic, outer, { n: 10n }, { when: new Date(0) }, { f: () => 1 }]) {
      expect(() => scan(payload)).toThrow(expect.objectContaining({ code: 'GH_ERR_DLP_PAYLOAD_UNSCANNABLE' }));
    }
    expect(() => scan(outer)).toThrow(/contains a cycle/);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => scan(deep)).toThrow(/nested deeper/);
  });

  it('accepts the same object reached twice when it is not a cycle', () => {
    const shared = { ssn: SSN };
    expect(scan({ a: shared, b: shared }).map((f) => f.path)).toEqual(['$.a.ssn', '$.b.ssn']);
  });

  it('scans own members only, in order, even when something made a name of Object.prototype enumerable', () => {
    const payload = { 2: `ssn ${SSN}`, note: `card ${CARD}`, 1: EMAIL };
    const expected = scan(payload);
    expect(expected.map((f) => f.path)).toEqual(['$["1"]', '$["2"]', '$.note']);
    Object.defineProperty(Object.prototype, 'polluted', { value: `mail ${EMAIL}`, enumerable: true, configurable: true, writable: true });
    try {
      expect(scan(payload)).toEqual(expected);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
  });
});
