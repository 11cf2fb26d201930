import { describe, expect, it } from 'vitest';
import { DEFAULT_DLP_PROFILE, DlpConfigSchema, DlpProfileSchema, resolveProfile } from '../src/profile.ts';

describe('DlpProfileSchema', () => {
  it('defaults the redaction style to tag', () => {
    expect(DlpProfileSchema.parse({ detectors: { email: 'block' } })).toEqual({ detectors: { email: 'block' }, redaction: 'tag' });
  });

  it('rejects an unknown detector, naming it and listing the known ones', () => {
    const result = DlpProfileSchema.safeParse({ detectors: { credit_card: 'redact' } });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(['detectors', 'credit_card']);
    expect(issue.message).toBe(
      'unknown detector "credit_card"; known detectors: aws_access_key_id, email, payment_card, pem_private_key, phone, us_ssn',
    );
  });

  it('rejects an unknown action and an unknown redaction style', () => {
    expect(DlpProfileSchema.safeParse({ detectors: { email: 'quarantine' } }).success).toBe(false);
    expect(DlpProfileSchema.safeParse({ detectors: {}, redaction: 'blur' }).success).toBe(false);
  });
});

describe('DlpConfigSchema', () => {
  it('adds the built-in default profile when the config has none', () => {
    expect(DlpConfigSchema.parse({})).toEqual({ profiles: { default: DEFAULT_DLP_PROFILE } });
    expect(DlpConfigSchema.prefault({}).parse(undefined)).toEqual({ profiles: { default: DEFAULT_DLP_PROFILE } });
  });

  it('lets the config replace the default profile and add others', () => {
    const config = DlpConfigSchema.parse({
      profiles: { default: { detectors: { email: 'block' } }, strict: { detectors: { phone: 'block' }, redaction: 'mask' } },
    });
    expect(config.profiles['default']).toEqual({ detectors: { email: 'block' }, redaction: 'tag' });
    expect(config.profiles['strict']).toEqual({ detectors: { phone: 'block' }, redaction: 'mask' });
  });

  it('reports an unknown detector with its full path', () => {
    const result = DlpConfigSchema.safeParse({ profiles: { strict: { detectors: { ssn: 'block' } } } });
    expect(result.error?.issues[0]?.path).toEqual(['profiles', 'strict', 'detectors', 'ssn']);
  });

  it('built-in default: cards and SSNs redacted, credentials blocked, contact details audited', () => {
    expect(DEFAULT_DLP_PROFILE.detectors).toEqual({
      payment_card: 'redact',
      us_ssn: 'redact',
      aws_access_key_id: 'block',
      pem_private_key: 'block',
      email: 'audit',
      phone: 'audit',
    });
  });
});

describe('resolveProfile', () => {
  const config = DlpConfigSchema.parse({ profiles: { strict: { detectors: { email: 'block' } } } });

  it('returns the named profile with its name', () => {
    expect(resolveProfile(config, 'strict')).toEqual({ name: 'strict', detectors: { email: 'block' }, redaction: 'tag' });
  });

  it('falls back to the built-in default only for the name default', () => {
    expect(resolveProfile({ profiles: {} }, 'default')).toEqual({ name: 'default', ...DEFAULT_DLP_PROFILE });
    expect(resolveProfile({ profiles: {} }, 'strict')).toBeUndefined();
  });

  it('ignores names inherited from Object.prototype', () => {
    expect(resolveProfile(config, 'constructor')).toBeUndefined();
    expect(resolveProfile(config, '__proto__')).toBeUndefined();
    expect(resolveProfile(config, 'toString')).toBeUndefined();
  });
});
