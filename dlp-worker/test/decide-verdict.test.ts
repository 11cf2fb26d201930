import { describe, expect, it } from 'vitest';
import { builtInEngine } from './support/engine.ts';

const engine = builtInEngine({
  profiles: {
    strict: { detectors: { email: 'block' } },
    lax: {},
    small: { types: { pii: 'redact' }, max_payload_chars: 64 },
    'small-allow': { types: { pii: 'redact' }, max_payload_chars: 64, oversize: 'allow' },
  },
});
const decideVerdict = (payload: unknown, profileName: string) => engine.decide(payload, profileName);
const profile = 'default';
const AWS_KEY = 'AKIAZ7Q3JX4LMN2RTUVW';
const SSN = '123-45-6789';
const EMAIL = 'jane.doe@example.com';

describe('decideVerdict', () => {
  it('blocks when any finding is a block, naming the profile and detectors but no values', () => {
    const verdict = decideVerdict({ key: AWS_KEY, ssn: SSN }, profile);
    expect(verdict.decision).toBe('block');
    expect(verdict.reason).toBe('dlp profile "default": aws_access_key_id');
    expect(verdict.payload).toBeUndefined();
    expect(verdict.findings.map((f) => f.detector)).toEqual(['aws_access_key_id', 'us_ssn']);
    expect(JSON.stringify(verdict)).not.toContain(AWS_KEY);
  });

  it('redacts when the worst finding is a redact, and returns the redacted payload', () => {
    const verdict = decideVerdict({ ssn: SSN, email: EMAIL }, profile);
    expect(verdict).toMatchObject({
      decision: 'redact',
      reason: 'dlp profile "default": us_ssn',
      payload: { ssn: '[REDACTED:us_ssn]', email: EMAIL },
    });
  });

  it('allows audit-only findings and reports them', () => {
    const verdict = decideVerdict({ email: EMAIL }, profile);
    expect(verdict).toMatchObject({ decision: 'allow', reason: 'dlp profile "default": audit only (email)' });
    expect(verdict.findings).toHaveLength(1);
    expect(verdict.payload).toBeUndefined();
  });

  it('allows a clean payload', () => {
    expect(decideVerdict({ query: 'weather in Paris' }, profile)).toEqual({
      decision: 'allow',
      findings: [],
      reason: 'dlp profile "default": no findings',
    });
  });

  it('follows the profile: the same value can block under one profile and pass under another', () => {
    const [strict, lax] = ['strict', 'lax'];
    expect(decideVerdict({ email: EMAIL }, strict)).toMatchObject({ decision: 'block', reason: 'dlp profile "strict": email' });
    expect(decideVerdict({ email: EMAIL, key: AWS_KEY }, lax)).toMatchObject({ decision: 'allow', findings: [] });
  });

  it('blocks a payload that cannot be scanned instead of throwing', () => {
    const cyclic: Record<string, unknown> = { ssn: SSN };
    cyclic['again'] = cyclic;
    const throwing = {
      get secret(): string {
        throw new Error(`boom ${SSN}`);
      },
    };
    const verdict = decideVerdict(cyclic, profile);
    expect(verdict.decision).toBe('block');
    expect(verdict.reason).toMatch(/^dlp profile "default": payload could not be scanned \(GH_ERR_DLP_PAYLOAD_UNSCANNABLE/);
    const fromGetter = decideVerdict(throwing, profile);
    expect(fromGetter).toEqual({ decision: 'block', findings: [], reason: 'dlp profile "default": payload could not be scanned (scanning failed)' });
  });

  it('blocks a payload over the size limit without scanning it, or allows it with a note when the profile says so', () => {
    const big = { note: 'x'.repeat(100), email: 'jane.doe@example.com' };
    const blocked = decideVerdict(big, 'small');
    expect(blocked).toEqual({ decision: 'block', findings: [], reason: expect.stringContaining('GH_ERR_DLP_PAYLOAD_TOO_LARGE') });
    expect(blocked.reason).toContain('more than 64 characters');
    const allowed = decideVerdict(big, 'small-allow');
    expect(allowed).toMatchObject({ decision: 'allow', findings: [], unscanned: true, reason: expect.stringContaining('not scanned, allowed by oversize: allow') });
    expect(decideVerdict({ email: 'jane.doe@example.com' }, 'small').decision).toBe('redact');
  });

  it('blocks an invocation naming a profile the config lacks, listing the known ones', () => {
    expect(decideVerdict({ city: 'Paris' }, '__proto__')).toMatchObject({
      decision: 'block',
      reason: expect.stringMatching(/^dlp profile "__proto__" is not configured; known profiles: .*default.*strict/),
    });
  });
});
