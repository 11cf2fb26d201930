import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, readApiKeyFile, revokeApiKey, type NewApiKey } from '../src/identity/api-key-file.ts';
import { generateApiKey, hashApiKey, parseApiKey } from '../src/identity/api-key-format.ts';
import { createApiKeyStore } from '../src/identity/api-key-store.ts';
import { createAuthenticator } from '../src/identity/authenticator.ts';

const logger = pino({ level: 'silent' });
const DAY = 86_400_000;

let dir: string;
let file: string;
let now: number;
const clock = { now: () => now };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-api-keys-'));
  file = path.join(dir, 'data', 'api-keys.json');
  now = Date.parse('2026-03-01T12:00:00Z');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deployBot = (overrides: Partial<NewApiKey> = {}): NewApiKey => ({
  name: 'deploy-bot',
  subject: 'service:deploy-bot',
  groups: ['ci'],
  portals: ['engineering'],
  scopes: [],
  validForMs: 30 * DAY,
  ...overrides,
});

function authenticator() {
  return createAuthenticator({ staticTokens: [], apiKeys: createApiKeyStore({ file, clock, logger }), clock, logger });
}

describe('API key format', () => {
  it('generates distinct ghk_<id>_<secret> keys whose id parses back', () => {
    const first = generateApiKey();
    const second = generateApiKey();

    expect(first.key).toMatch(/^ghk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(first.key).not.toBe(second.key);
    expect(parseApiKey(first.key)).toEqual({ id: first.id });
    expect(parseApiKey(`${first.key}x`)).toBeUndefined();
    expect(parseApiKey('ghk_short_secret')).toBeUndefined();
  });
});

describe('API keys', () => {
  it('creates a key that authenticates as its service account, scoped to its portals', async () => {
    const { key, record } = await createApiKey(file, deployBot({ email: 'deploy@example.com', portals: ['engineering', 'ops'], scopes: ['mcp:tools'] }), clock);

    expect(record).toMatchObject({ name: 'deploy-bot', created_at: '2026-03-01T12:00:00.000Z', expires_at: '2026-03-31T12:00:00.000Z', revoked_at: null });
    expect(await authenticator().authenticate(`Bearer ${key}`)).toEqual({
      ok: true,
      method: 'api_key',
      principal: { subject: 'service:deploy-bot', email: 'deploy@example.com', groups: ['ci'] },
      portals: ['engineering', 'ops'],
      scopes: ['mcp:tools'],
    });
  });

  it('stores only a SHA-256 digest, in a file only its owner can read', async () => {
    const { key, record } = await createApiKey(file, deployBot(), clock);
    const text = await readFile(file, 'utf8');

    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(`ghk_${record.id}_`.length));
    expect(record.sha256).toBe(hashApiKey(key));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readApiKeyFile(file)).keys).toEqual([record]);
  });

  it('refuses an expired key as expired_token', async () => {
    const { key, record } = await createApiKey(file, deployBot({ validForMs: DAY }), clock);
    const auth = authenticator();

    now += DAY - 1;
    expect((await auth.authenticate(`Bearer ${key}`)).ok).toBe(true);
    now += 1;
    expect(await auth.authenticate(`Bearer ${key}`)).toEqual({ ok: false, reason: 'expired_token', message: `API key ${record.id} expired at 2026-03-02T12:00:00.000Z` });
  });

  it('keeps a key created without expiry valid', async () => {
    const { key } = await createApiKey(file, deployBot({ validForMs: null }), clock);

    now += 3650 * DAY;
    expect((await authenticator().authenticate(`Bearer ${key}`)).ok).toBe(true);
  });

  it('applies a revocation to a running authenticator on its next request', async () => {
    const { key, record } = await createApiKey(file, deployBot(), clock);
    const other = await createApiKey(file, deployBot({ name: 'report-bot', subject: 'service:report-bot' }), clock);
    const auth = authenticator();
    expect((await auth.authenticate(`Bearer ${key}`)).ok).toBe(true);

    now += 1000;
    expect(await revokeApiKey(file, record.id, clock)).toMatchObject({ alreadyRevoked: false, record: { revoked_at: '2026-03-01T12:00:01.000Z' } });

    expect(await auth.authenticate(`Bearer ${key}`)).toEqual({ ok: false, reason: 'revoked_key', message: `API key ${record.id} was revoked at 2026-03-01T12:00:01.000Z` });
    expect((await auth.authenticate(`Bearer ${other.key}`)).ok).toBe(true);
    expect(await revokeApiKey(file, record.id, clock)).toMatchObject({ alreadyRevoked: true });
    expect(await revokeApiKey(file, '0123456789abcdef', clock)).toBeUndefined();
  });

  it('picks up a key created after the authenticator started', async () => {
    const auth = authenticator();
    const { key } = await createApiKey(file, deployBot(), clock);

    expect((await auth.authenticate(`Bearer ${key}`)).ok).toBe(true);
  });

  it('refuses a wrong secret for a known id as invalid, revealing nothing about the key', async () => {
    const { key, record } = await createApiKey(file, deployBot(), clock);
    await revokeApiKey(file, record.id, clock);
    const guessed = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;

    const result = await authenticator().authenticate(`Bearer ${guessed}`);

    expect(result).toEqual({ ok: false, reason: 'invalid_token', message: 'invalid API key: it matches no key of this gateway' });
  });

  it('refuses malformed keys and every key when API keys are not enabled', async () => {
    const { key } = await createApiKey(file, deployBot(), clock);

    expect(await authenticator().authenticate('Bearer ghk_not-a-key')).toMatchObject({ ok: false, reason: 'invalid_token', message: expect.stringMatching(/^malformed API key/) });
    const withoutKeys = createAuthenticator({ staticTokens: [], clock, logger });
    expect(await withoutKeys.authenticate(`Bearer ${key}`)).toMatchObject({ ok: false, reason: 'invalid_token', message: 'API keys are not enabled on this gateway' });
  });

  it('refuses every key while the file is invalid, and recovers when it is fixed', async () => {
    const { key } = await createApiKey(file, deployBot(), clock);
    const auth = authenticator();
    const good = await readFile(file, 'utf8');

    await writeFile(file, '{"version": 1, "keys": [');
    expect(await auth.authenticate(`Bearer ${key}`)).toMatchObject({ ok: false, reason: 'invalid_token', message: expect.stringContaining('key file is invalid') });
    await writeFile(file, good);
    expect((await auth.authenticate(`Bearer ${key}`)).ok).toBe(true);
  });

  it('rejects a key file that is not a key file, naming the file and the problem', async () => {
    await writeFile(file.replace('data/api-keys.json', 'bad.json'), JSON.stringify({ version: 1, keys: [{ id: 'x' }] }));

    await expect(readApiKeyFile(file.replace('data/api-keys.json', 'bad.json'))).rejects.toMatchObject({
      code: 'GH_ERR_API_KEYS_FILE_INVALID',
      message: expect.stringContaining('keys.0.id: expected 16 lowercase hex digits'),
    });
  });
});
