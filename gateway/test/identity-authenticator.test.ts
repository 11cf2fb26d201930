import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/identity/api-key-file.ts';
import { createApiKeyStore } from '../src/identity/api-key-store.ts';
import { createAuthenticator } from '../src/identity/authenticator.ts';
import { AUTHENTICATION_FAILURES } from '../src/identity/identity-errors.ts';
import { sha256Hex } from '../src/identity/static-token-authenticator.ts';

const logger = pino({ level: 'silent' });
const clock = { now: () => Date.now() };
const alice = { subject: 'alice', email: 'alice@example.com', groups: ['eng'] };

function withStaticToken(token: string) {
  return createAuthenticator({ staticTokens: [{ sha256: sha256Hex(token), principal: alice }], clock, logger });
}

describe('authenticator', () => {
  it('refuses a credential whose subject is in the namespace the gateway gives callers itself', async () => {
    const token = `gh_${randomBytes(24).toString('hex')}`;
    const impostor = createAuthenticator({ staticTokens: [{ sha256: sha256Hex(token), principal: { ...alice, subject: 'gatehouse:unauthenticated' } }], clock, logger });
    expect(await impostor.authenticate(`Bearer ${token}`)).toMatchObject({ ok: false, reason: 'invalid_token' });
  });

  it('accepts a configured static token for any portal, with no scopes', async () => {
    const token = `gh_${randomBytes(24).toString('hex')}`;

    expect(await withStaticToken(token).authenticate(`Bearer ${token}`)).toEqual({ ok: true, principal: alice, method: 'static_token', scopes: [] });
  });

  it('checks static tokens first, whatever they look like', async () => {
    for (const token of [`ghk_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`, 'aaa.bbb.ccc']) {
      expect(await withStaticToken(token).authenticate(`Bearer ${token}`), token).toMatchObject({ ok: true, method: 'static_token' });
    }
  });

  it('tells each kind of credential apart by its shape', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-authenticator-'));
    try {
      const file = path.join(dir, 'api-keys.json');
      const { key } = await createApiKey(file, { name: 'bot', subject: 'service:bot', groups: [], portals: ['main'], scopes: [], validForMs: null }, clock);
      const auth = createAuthenticator({ staticTokens: [], apiKeys: createApiKeyStore({ file, clock, logger }), clock, logger });

      expect(await auth.authenticate(`Bearer ${key}`)).toMatchObject({ ok: true, method: 'api_key', portals: ['main'] });
      expect(await auth.authenticate('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).toMatchObject({ ok: false, message: expect.stringContaining('no OpenID provider configured') });
      expect(await auth.authenticate('Bearer plain-unknown-token')).toMatchObject({ ok: false, reason: 'invalid_token', message: 'invalid bearer token: it matches no configured token' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([undefined, ''])('refuses a missing header (%j) as missing_token and says how to send one', async (header) => {
    expect(await withStaticToken('t').authenticate(header)).toEqual({
      ok: false,
      reason: 'missing_token',
      message: 'missing bearer token: send "Authorization: Bearer <token>"',
    });
  });

  it('refuses a malformed header as invalid_token without echoing it', async () => {
    const token = `gh_${randomBytes(24).toString('hex')}`;
    const auth = withStaticToken(token);

    for (const header of [`Basic ${token}`, token, 'Bearer', `Bearer ${token} extra`]) {
      const result = await auth.authenticate(header);
      expect(result, header).toMatchObject({ ok: false, reason: 'invalid_token', message: expect.stringMatching(/^malformed Authorization header/) });
      expect(JSON.stringify(result)).not.toContain(token);
    }
  });

  it('maps every failure to a distinct stable code with a hint', () => {
    const codes = Object.values(AUTHENTICATION_FAILURES).map((failure) => failure.code);

    expect(new Set(codes).size).toBe(codes.length);
    for (const failure of Object.values(AUTHENTICATION_FAILURES)) expect(failure.hint.length).toBeGreaterThan(10);
  });
});
