import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createAuthenticator, type AuthenticationResult } from '../src/identity/authenticator.ts';
import { createStaticTokenVerifier, sha256Hex, type StaticToken } from '../src/identity/static-token-authenticator.ts';

/** Static tokens only, through the gateway's authenticator (header parsing included). */
function staticTokenAuthenticator(staticTokens: StaticToken[]) {
  const authenticator = createAuthenticator({ staticTokens, clock: { now: () => Date.now() }, logger: pino({ level: 'silent' }) });
  return (authorization: string | undefined) => authenticator.authenticate(authorization);
}
const accepted = (principal: unknown) => ({ ok: true, principal, method: 'static_token', scopes: [] });

const alice = { subject: 'alice', email: 'alice@example.com', groups: ['eng'] };
const bob = { subject: 'bob', email: 'bob@example.com', groups: ['support'] };

function setup() {
  const aliceToken = `gh_${randomBytes(24).toString('hex')}`;
  const bobToken = `gh_${randomBytes(24).toString('hex')}`;
  const authenticate = staticTokenAuthenticator([
    { sha256: sha256Hex(aliceToken), principal: alice },
    { sha256: sha256Hex(bobToken), principal: bob },
  ]);
  return { aliceToken, bobToken, authenticate };
}

function failure(result: AuthenticationResult) {
  if (result.ok) throw new Error(`expected a refusal, got principal ${result.principal.subject}`);
  return result;
}

describe('static tokens through the authenticator', () => {
  it('sha256Hex is the lowercase hex SHA-256 digest the config stores', async () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('maps each configured token to its own principal', async () => {
    const { aliceToken, bobToken, authenticate } = setup();

    expect(await authenticate(`Bearer ${aliceToken}`)).toEqual(accepted(alice));
    expect(await authenticate(`Bearer ${bobToken}`)).toEqual(accepted(bob));
  });

  it('accepts the scheme in any case and tolerates extra spaces', async () => {
    const { aliceToken, authenticate } = setup();

    expect(await authenticate(`bearer ${aliceToken}`)).toEqual(accepted(alice));
    expect(await authenticate(`BEARER   ${aliceToken}  `)).toEqual(accepted(alice));
  });

  it.each([undefined, ''])('refuses a missing header (%j) as missing_token and says how to send one', async (header) => {
    const { authenticate } = setup();
    const result = failure(await authenticate(header));

    expect(result.reason).toBe('missing_token');
    expect(result.message).toContain('Authorization: Bearer <token>');
  });

  it('refuses a malformed header as invalid_token without echoing it', async () => {
    const { aliceToken, authenticate } = setup();

    for (const header of [`Basic ${aliceToken}`, aliceToken, 'Bearer', 'Bearer ', `Bearer ${aliceToken} extra`, `Token ${aliceToken}`]) {
      const result = failure(await authenticate(header));
      expect(result.reason, header).toBe('invalid_token');
      expect(result.message, header).toMatch(/^malformed Authorization header/);
      expect(result.message, header).not.toContain(aliceToken);
    }
  });

  it('refuses a well-formed but unknown token as invalid_token without echoing it', async () => {
    const { aliceToken, authenticate } = setup();
    const guessed = `${aliceToken.slice(0, -1)}x`;
    const result = failure(await authenticate(`Bearer ${guessed}`));

    expect(result.reason).toBe('invalid_token');
    expect(result.message).toBe('invalid bearer token: it matches no configured token');
    expect(JSON.stringify(result)).not.toContain(guessed);
  });

  it('refuses the digest itself presented as the token', async () => {
    const { aliceToken, authenticate } = setup();

    expect((await authenticate(`Bearer ${sha256Hex(aliceToken)}`)).ok).toBe(false);
  });

  it('refuses every token when none is configured', async () => {
    const authenticate = staticTokenAuthenticator([]);

    expect(failure(await authenticate('Bearer anything')).reason).toBe('invalid_token');
  });
});

describe('static token verifier', () => {
  it('maps a bare token to its principal and anything else to undefined', async () => {
    const { aliceToken, bobToken } = setup();
    const verify = createStaticTokenVerifier([
      { sha256: sha256Hex(aliceToken), principal: alice },
      { sha256: sha256Hex(bobToken), principal: bob },
    ]);

    expect(verify(aliceToken)).toEqual(alice);
    expect(verify(bobToken)).toEqual(bob);
    expect(verify(`${aliceToken}x`)).toBeUndefined();
    expect(verify(`Bearer ${aliceToken}`)).toBeUndefined();
  });
});
