import { Writable } from 'node:stream';
import { decodeJwt, SignJWT } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOidcProvider, type TestOidcProvider } from '../../test/support/oidc-provider.ts';
import { createAuthenticator, type AuthenticationResult, type Authenticator } from '../src/identity/authenticator.ts';
import { OidcOptionsSchema } from '../src/identity/identity-config-schema.ts';

const GATEWAY = 'http://127.0.0.1:1/mcp';
const OTHER_RESOURCE = 'https://other-service.example/mcp';

let provider: TestOidcProvider;
let stranger: TestOidcProvider;
const logLines: string[] = [];
const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));

beforeAll(async () => {
  const clients = [
    { id: 'alice', groups: ['engineering'], email: 'alice@example.com' },
    { id: 'bob', groups: ['support'], email: 'bob@example.com' },
    { id: 'ci-bot' },
  ];
  provider = await startTestOidcProvider({ resources: [GATEWAY, OTHER_RESOURCE], clients });
  stranger = await startTestOidcProvider({ resources: [GATEWAY], clients });
});

afterAll(async () => {
  await provider?.close();
  await stranger?.close();
});

function clockAt(ms = Date.now()) {
  return { now: () => ms };
}

function authenticator(oidc: Record<string, unknown> = {}, clock = clockAt()): Authenticator {
  return createAuthenticator({
    staticTokens: [],
    oidc: OidcOptionsSchema.parse({ issuer: provider.issuer, audience: GATEWAY, ...oidc }),
    clock,
    logger,
  });
}

async function refusal(auth: Authenticator, token: string) {
  const result: AuthenticationResult = await auth.authenticate(`Bearer ${token}`);
  if (result.ok) throw new Error(`expected a refusal, got ${result.principal.subject}`);
  expect(result.message).not.toContain(token);
  expect(result.message).not.toContain(token.split('.')[2] || token);
  return result;
}

describe('OIDC bearer tokens from a real OpenID provider', () => {
  it('accepts a token the provider issued for this gateway, with subject, email, groups and scopes', async () => {
    const token = await provider.issueAccessToken('alice', { resource: GATEWAY });

    const result = await authenticator().authenticate(`Bearer ${token}`);

    expect(result).toEqual({
      ok: true,
      method: 'oidc',
      principal: { subject: 'alice', email: 'alice@example.com', groups: ['engineering'] },
      scopes: ['mcp:tools', 'mcp:read'],
    });
  });

  it('finds the keys through discovery or at a configured jwks_uri', async () => {
    const token = await provider.issueAccessToken('bob', { resource: GATEWAY });

    const result = await authenticator({ jwks_uri: provider.jwksUri }).authenticate(`Bearer ${token}`);

    expect(result).toMatchObject({ ok: true, principal: { subject: 'bob', groups: ['support'] } });
  });

  it('refuses an expired token as expired_token, allowing the configured clock tolerance', async () => {
    const token = await provider.issueAccessToken('alice', { resource: GATEWAY });
    const exp = decodeJwt(token).exp! * 1000;

    expect((await authenticator({}, clockAt(exp + 20_000)).authenticate(`Bearer ${token}`)).ok).toBe(true);
    const result = await refusal(authenticator({ clock_tolerance_seconds: 5 }, clockAt(exp + 20_000)), token);
    expect(result.reason).toBe('expired_token');
    expect(result.message).toContain(new Date(exp).toISOString());

    const signedExpired = await provider.signToken({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } });
    expect((await refusal(authenticator(), signedExpired)).reason).toBe('expired_token');
  });

  it('refuses a token minted for another audience as wrong_audience', async () => {
    const token = await provider.issueAccessToken('alice', { resource: OTHER_RESOURCE });

    const result = await refusal(authenticator(), token);

    expect(result.reason).toBe('wrong_audience');
    expect(result.message).toContain(GATEWAY);
  });

  it('refuses a token from another issuer as wrong_issuer, whether the provider or its keys differ', async () => {
    const fromStranger = await stranger.issueAccessToken('alice', { resource: GATEWAY });
    expect((await refusal(authenticator(), fromStranger)).reason).toBe('wrong_issuer');

    const otherIssuerOwnKey = await provider.signToken({ claims: { iss: 'https://login.evil.example' } });
    const result = await refusal(authenticator(), otherIssuerOwnKey);
    expect(result.reason).toBe('wrong_issuer');
    expect(result.message).toContain(provider.issuer);
  });

  it('refuses alg none', async () => {
    const result = await refusal(authenticator(), provider.unsignedToken({ sub: 'alice', groups: ['admins'] }));

    expect(result.reason).toBe('invalid_token');
    expect(result.message).toMatch(/algorithm this gateway does not accept/);
  });

  it('refuses a token whose payload or signature was tampered with', async () => {
    const token = await provider.issueAccessToken('bob', { resource: GATEWAY });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const escalated = Buffer.from(JSON.stringify({ ...decodeJwt(token), groups: ['admins'] })).toString('base64url');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;

    for (const tampered of [`${header}.${escalated}.${signature}`, `${header}.${payload}.${flipped}`]) {
      const result = await refusal(authenticator(), tampered);
      expect(result.reason).toBe('invalid_token');
      expect(result.message).toBe('token signature is invalid');
    }
  });

  it('refuses a token signed by a key the provider does not publish, under its own or a borrowed key id', async () => {
    const unknownKid = await refusal(authenticator(), await provider.signToken({ key: 'attacker' }));
    expect(unknownKid).toMatchObject({ reason: 'invalid_token', message: 'token is signed with a key the OpenID provider does not publish' });

    const providerEsKid = (await provider.signToken()).split('.')[0]!;
    const borrowedKid = await provider.signToken({ key: 'attacker', kid: JSON.parse(Buffer.from(providerEsKid, 'base64url').toString()).kid });
    expect(await refusal(authenticator(), borrowedKid)).toMatchObject({ reason: 'invalid_token', message: 'token signature is invalid' });
  });

  it('refuses HS256 signed with the provider\'s public key (algorithm confusion) and pins the configured algorithms', async () => {
    const confused = await refusal(authenticator(), await provider.algorithmConfusionToken());
    expect(confused.reason).toBe('invalid_token');
    expect(confused.message).toMatch(/HS256, which this gateway does not accept/);

    const rsOnly = authenticator({ algorithms: ['RS256'] });
    expect((await rsOnly.authenticate(`Bearer ${await provider.signToken({ key: 'provider-rs256' })}`)).ok).toBe(true);
    const es256 = await refusal(rsOnly, await provider.issueAccessToken('alice', { resource: GATEWAY }));
    expect(es256.message).toContain('accepted: RS256');
  });

  it('accepts HS256 only when configured with a shared secret, and only signed with that secret', async () => {
    expect(OidcOptionsSchema.safeParse({ issuer: provider.issuer, audience: GATEWAY, algorithms: ['HS256'] }).error?.issues[0]?.message).toContain('need shared_secret');
    const secret = 'a-shared-secret-of-enough-length-for-hs256';
    const withSecret = createAuthenticator({
      staticTokens: [],
      oidc: OidcOptionsSchema.parse({ issuer: provider.issuer, audience: GATEWAY, algorithms: ['ES256', 'HS256'], shared_secret: { env: 'OIDC_SECRET' } }),
      oidcSharedSecret: secret,
      clock: clockAt(),
      logger,
    });
    const now = Math.floor(Date.now() / 1000);
    const hs256 = await new SignJWT({ iss: provider.issuer, aud: GATEWAY, sub: 'dave', iat: now, exp: now + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

    expect(await withSecret.authenticate(`Bearer ${hs256}`)).toMatchObject({ ok: true, principal: { subject: 'dave' } });
    expect((await refusal(withSecret, await provider.algorithmConfusionToken())).message).toBe('token signature is invalid');
    expect((await withSecret.authenticate(`Bearer ${await provider.issueAccessToken('alice', { resource: GATEWAY })}`)).ok).toBe(true);
  });

  it('treats a token without the groups claim as in no group, or refuses it when the claim is required', async () => {
    const token = await provider.issueAccessToken('ci-bot', { resource: GATEWAY });

    expect(await authenticator().authenticate(`Bearer ${token}`)).toMatchObject({ ok: true, principal: { subject: 'ci-bot', email: '', groups: [] } });
    const result = await refusal(authenticator({ require_groups_claim: true }), token);
    expect(result.reason).toBe('invalid_token');
    expect(result.message).toContain('no "groups" claim');
  });

  it('reads groups and email from configured claims, by name or by dotted path', async () => {
    const token = await provider.signToken({
      claims: { 'https://gatehouse.example/groups': ['finance'], realm_access: { roles: ['auditors', 'viewers'] }, upn: 'carol@example.com', scp: ['mcp:read'] },
    });

    expect(await authenticator({ groups_claim: 'https://gatehouse.example/groups', email_claim: 'upn' }).authenticate(`Bearer ${token}`)).toMatchObject({
      ok: true,
      principal: { groups: ['finance'], email: 'carol@example.com' },
    });
    expect(await authenticator({ groups_claim: 'realm_access.roles' }).authenticate(`Bearer ${token}`)).toMatchObject({
      ok: true,
      principal: { groups: ['auditors', 'viewers'] },
    });
    const noScope = await provider.signToken({ claims: { scp: ['mcp:read'] }, omit: ['scope'] });
    expect(await authenticator().authenticate(`Bearer ${noScope}`)).toMatchObject({ ok: true, scopes: ['mcp:read'] });
  });

  it('refuses a token without a subject or with a groups claim that is not a list of names', async () => {
    const noSubject = await refusal(authenticator(), await provider.signToken({ omit: ['sub'] }));
    expect(noSubject.message).toBe('token lacks the required "sub" claim');

    const badGroups = await refusal(authenticator(), await provider.signToken({ claims: { groups: { admin: true } } }));
    expect(badGroups.message).toContain('not a list of group names');
  });

  it('refuses JWTs when no OpenID provider is configured, and answers clearly when the provider is unreachable', async () => {
    const token = await provider.issueAccessToken('alice', { resource: GATEWAY });
    const withoutOidc = createAuthenticator({ staticTokens: [], clock: clockAt(), logger });
    expect(await refusal(withoutOidc, token)).toMatchObject({ reason: 'invalid_token', message: expect.stringContaining('no OpenID provider configured') });

    const unreachable = authenticator({ jwks_uri: 'http://127.0.0.1:9/jwks' });
    expect(await refusal(unreachable, token)).toMatchObject({ reason: 'invalid_token', message: expect.stringContaining('signing keys are unavailable') });
  });

  it('refuses JWTs while discovery fails, logging it once per retry interval', async () => {
    const deadIssuer = 'http://127.0.0.1:9';
    const token = await provider.signToken({ claims: { iss: deadIssuer } });
    const clock = { now: () => 1_000_000 };
    const auth = createAuthenticator({ staticTokens: [], oidc: OidcOptionsSchema.parse({ issuer: deadIssuer, audience: GATEWAY }), clock, logger });
    logLines.length = 0;

    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await refusal(auth, token)).toMatchObject({ reason: 'invalid_token', message: expect.stringContaining('signing keys are unavailable') });
    }
    expect(logLines.filter((line) => line.includes('GH_ERR_OIDC_DISCOVERY_FAILED'))).toHaveLength(1);
  });

  it('never writes a token to its logs', async () => {
    const token = await provider.issueAccessToken('alice', { resource: GATEWAY });
    logLines.length = 0;

    await authenticator().authenticate(`Bearer ${token}`);
    await authenticator({ clock_tolerance_seconds: 0 }, clockAt(Date.now() + 3_600_000)).authenticate(`Bearer ${token}`);

    expect(logLines.length).toBeGreaterThanOrEqual(2);
    expect(logLines.join('\n')).not.toContain(token.split('.')[2]);
  });
});
