import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILES, DEFAULT_DLP_PROFILE } from '../src/built-in-profiles.ts';
import { DlpConfigSchema, resolveProfile } from '../src/dlp-config.ts';
import { createDlpEngine } from '../src/dlp-engine.ts';
import { builtInDetectors } from '../src/detectors/index.ts';
import { compileProfile, DlpProfileSchema } from '../src/profile.ts';

const issuesOf = (config: unknown) => {
  const result = DlpConfigSchema.safeParse(config);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

const limits = { maxPayloadChars: 1000, oversize: 'block' as const };

describe('DlpProfileSchema', () => {
  it('defaults to no detectors and the tag style, and rejects unknown actions, styles and groups', () => {
    expect(DlpProfileSchema.parse({})).toEqual({ types: {}, detectors: {}, redaction: 'tag', ignore_test_values: false });
    expect(DlpProfileSchema.safeParse({ detectors: { email: 'quarantine' } }).success).toBe(false);
    expect(DlpProfileSchema.safeParse({ redaction: 'blur' }).success).toBe(false);
    expect(DlpProfileSchema.safeParse({ types: { gossip: 'block' } }).success).toBe(false);
  });

  it('compiles groups and per-detector settings: a detector setting wins, "off" removes, min_confidence applies', () => {
    const profile = DlpProfileSchema.parse({
      types: { pii: 'audit', credential: { action: 'block', min_confidence: 0.9 } },
      detectors: { email: 'redact', phone: 'off', payment_card: { action: 'redact', min_confidence: 0.2 } },
      min_confidence: 0.6,
    });
    const compiled = compileProfile({ name: 'p', ...profile }, builtInDetectors, limits);
    expect(compiled.rules.get('email')).toEqual({ action: 'redact', minConfidence: 0.6 });
    expect(compiled.rules.get('ipv4')).toEqual({ action: 'audit', minConfidence: 0.6 });
    expect(compiled.rules.get('github_token')).toEqual({ action: 'block', minConfidence: 0.9 });
    expect(compiled.rules.get('payment_card')).toEqual({ action: 'redact', minConfidence: 0.2 });
    expect(compiled.enabled.has('phone')).toBe(false);
    expect(compiled.enabled.has('us_ssn')).toBe(false);
  });
});

describe('DlpConfigSchema', () => {
  it('adds the built-in profiles, which the config may replace', () => {
    const parsed = DlpConfigSchema.parse({});
    expect(Object.keys(parsed.profiles).sort()).toEqual(['credentials', 'default', 'financial', 'health', 'national_ids', 'pii', 'strict']);
    expect(DlpConfigSchema.prefault({}).parse(undefined).profiles['default']).toEqual(DEFAULT_DLP_PROFILE);
    const replaced = DlpConfigSchema.parse({ profiles: { default: { detectors: { email: 'block' } } } });
    expect(replaced.profiles['default']!.detectors).toEqual({ email: 'block' });
    expect(replaced).toMatchObject({ policies: [], custom_detectors: [], exact_lists: [], max_payload_chars: 4 * 1024 * 1024, oversize: 'block' });
  });

  it('built-in default: cards and SSNs redacted, every credential blocked, contact details audited', () => {
    const compiled = compileProfile({ name: 'default', ...DEFAULT_DLP_PROFILE }, builtInDetectors, limits);
    expect(Object.fromEntries(['payment_card', 'us_ssn', 'aws_access_key_id', 'pem_private_key', 'email', 'phone'].map((id) => [id, compiled.rules.get(id)?.action]))).toEqual({
      payment_card: 'redact',
      us_ssn: 'redact',
      aws_access_key_id: 'block',
      pem_private_key: 'block',
      email: 'audit',
      phone: 'audit',
    });
    for (const detector of builtInDetectors.filter((d) => d.type === 'credential')) expect(compiled.rules.get(detector.id)?.action, detector.id).toBe('block');
  });

  it('built-in strict: every detector redacts at its default confidence', () => {
    const compiled = compileProfile({ name: 'strict', ...BUILT_IN_PROFILES['strict']! }, builtInDetectors, limits);
    expect(compiled.enabled.size).toBe(builtInDetectors.length);
    for (const detector of builtInDetectors) expect(compiled.rules.get(detector.id)).toEqual({ action: 'redact', minConfidence: detector.minConfidence ?? 0.5 });
  });

  it('reports an unknown detector with its full path and the known ids', () => {
    expect(issuesOf({ profiles: { p: { detectors: { ssn: 'block' } } } })).toEqual([expect.stringMatching(/^profiles\.p\.detectors\.ssn: unknown detector "ssn"; known detectors: .*us_ssn/)]);
  });

  it('accepts custom detectors, checks their pattern and their own examples, and rejects taken ids', () => {
    const custom = { id: 'employee_id', type: 'pii', pattern: '(?:^|[^A-Z])(?P<value>EMP-[0-9]{6})(?:$|[^0-9])', positives: ['badge EMP-123456'], negatives: ['EMP-12345'] };
    expect(DlpConfigSchema.parse({ custom_detectors: [custom], profiles: { p: { detectors: { employee_id: 'redact' } } } }).custom_detectors).toHaveLength(1);
    expect(issuesOf({ custom_detectors: [{ ...custom, pattern: '(?<=x)EMP' }] })).toEqual([expect.stringMatching(/^custom_detectors\.0\.pattern: RE2 rejects/)]);
    expect(issuesOf({ custom_detectors: [{ ...custom, positives: ['EMP-12'] }] })).toEqual([expect.stringMatching(/^custom_detectors\.0\.positives: the pattern does not find/)]);
    expect(issuesOf({ custom_detectors: [{ ...custom, negatives: ['EMP-999999'] }] })).toEqual([expect.stringMatching(/^custom_detectors\.0\.negatives: the pattern finds/)]);
    expect(issuesOf({ custom_detectors: [{ ...custom, id: 'email' }] })).toEqual([expect.stringMatching(/^custom_detectors\.0\.id: detector id "email" is already taken/)]);
  });

  it('requires a hash key for exact lists and hash redaction', () => {
    const list = { id: 'customer_ids', type: 'pii', pattern: 'CUS-[0-9]{8}', hashes: ['a'.repeat(64)] };
    expect(issuesOf({ exact_lists: [list] })).toEqual([expect.stringMatching(/^hash_key: exact_lists and redaction: hash need a stable key/)]);
    expect(issuesOf({ profiles: { p: { redaction: 'hash' } } })).toEqual([expect.stringMatching(/^hash_key:/)]);
    expect(DlpConfigSchema.parse({ exact_lists: [list], hash_key: { env: 'DLP_KEY' } }).exact_lists).toHaveLength(1);
    expect(issuesOf({ exact_lists: [{ ...list, hashes: ['not-hex'] }], hash_key: { env: 'K' } })).toEqual([expect.stringMatching(/^exact_lists\.0\.hashes\.0: expected 64 lowercase hex/)]);
  });

  it('checks policies: an existing profile, at least one selector, no two selecting the same calls', () => {
    expect(DlpConfigSchema.parse({ policies: [{ server: 'crm', profile: 'strict' }] }).policies).toEqual([{ server: 'crm', profile: 'strict' }]);
    expect(issuesOf({ policies: [{ server: 'crm', profile: 'paranoid' }] })).toEqual([expect.stringMatching(/^policies\.0\.profile: no DLP profile "paranoid"/)]);
    expect(issuesOf({ policies: [{ profile: 'strict' }] })).toEqual([expect.stringMatching(/^policies\.0: a policy needs at least one of portal, server, tool, direction/)]);
    expect(issuesOf({ policies: [{ server: 'crm', direction: 'result', profile: 'strict' }, { direction: 'result', server: 'crm', profile: 'pii' }] })).toEqual([
      'policies.1: selects the same calls as policies[0]; merge them',
    ]);
  });
});

describe('resolveProfile', () => {
  const config = DlpConfigSchema.parse({ profiles: { mine: { detectors: { email: 'block' } } } });

  it('returns a configured or built-in profile with its name, and nothing for names inherited from Object.prototype', () => {
    expect(resolveProfile(config, 'mine')).toMatchObject({ name: 'mine', detectors: { email: 'block' } });
    expect(resolveProfile(config, 'strict')).toMatchObject({ name: 'strict' });
    for (const name of ['constructor', '__proto__', 'toString', 'nope']) expect(resolveProfile(config, name)).toBeUndefined();
  });
});

describe('custom detectors and exact-match lists in the engine', () => {
  const key = 'k3y-for-tests';
  const hmac = (value: string) => createHmac('sha256', key).update(value).digest('hex');
  const engine = createDlpEngine({
    hashKey: key,
    dlp: DlpConfigSchema.parse({
      hash_key: { env: 'DLP_KEY' },
      custom_detectors: [
        { id: 'employee_id', type: 'pii', pattern: '(?:^|[^A-Z])(?P<value>EMP-[0-9]{6})(?:$|[^0-9])', confidence: 0.4, context_words: ['employee'], key_names: ['badge'] },
        { id: 'internal_card', type: 'financial', pattern: '(?:^|[^0-9])(?P<value>9[0-9]{15})(?:$|[^0-9])', validator: 'luhn', mask_keep: 4 },
      ],
      exact_lists: [{ id: 'customer_ids', type: 'pii', pattern: '(?:^|[^A-Za-z0-9])(?P<value>(?i:cus)-[0-9]{4})(?:$|[^0-9])', normalize: 'lowercase', hashes: [hmac('cus-1001')] }],
      profiles: { p: { detectors: { employee_id: 'redact', internal_card: 'redact', customer_ids: 'block' }, redaction: 'mask' } },
    }),
  });
  const findings = (payload: unknown) => {
    const result = engine.scan(payload, engine.profile('p')!);
    return 'oversize' in result ? [] : result.findings.map((f) => `${f.path}:${f.detector}`);
  };

  it('finds custom detectors with their validator and context, and member names', () => {
    expect(findings({ a: 'employee EMP-123456', b: 'EMP-123456', badge: 'EMP-654321' })).toEqual(['$.a:employee_id', '$.badge:employee_id']);
    expect(findings({ a: '9000000000000001', b: '9000000000000002' })).toEqual(['$.a:internal_card']);
    expect(engine.decide({ a: 'card 9000000000000001' }, 'p').payload).toEqual({ a: 'card ************0001' });
  });

  it('matches exact-list values only through their keyed hash, normalized', () => {
    expect(findings({ a: 'order for CUS-1001', b: 'cus-1002' })).toEqual(['$.a:customer_ids']);
    expect(engine.decide({ a: 'cus-1001' }, 'p')).toMatchObject({ decision: 'block', reason: 'dlp profile "p": customer_ids' });
  });

  it('refuses to build without the hash key the config needs', () => {
    const dlp = DlpConfigSchema.parse({ hash_key: { env: 'K' }, profiles: { p: { redaction: 'hash' } } });
    expect(() => createDlpEngine({ dlp })).toThrow(expect.objectContaining({ code: 'GH_ERR_DLP_HASH_KEY_MISSING' }));
  });
});
