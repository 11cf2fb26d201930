import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStaticTokenAuthenticator, createStaticTokenVerifier, sha256Hex, type StaticTokenAuthentication } from '../src/identity/static-token-authenticator.ts';

const alice = { subject: 'alice', email: 'alice@example.com', groups: ['eng'] };
const bob = { subject: 'bob', email: 'bob@example.com', groups: ['support'] };

function setup() {
  const aliceToken = `gh_${randomBytes(24).toString('hex')}`;
  const bobToken = `gh_${randomBytes(24).toString('hex')}`;
  const authenticate = createStaticTokenAuthenticator([
    { sha256: sha256Hex(aliceToken), principal: alice },
    { sha256: sha256Hex(bobToken), principal: bob },
  ]);
  return { aliceToken, bobToken, authenticate };
}

function failure(result: StaticTokenAuthentication) {
  if (result.ok) throw new Error(`expected a refusal, got principal ${result.principal.subject}`);
  return result;
}

describe('static token authenticator', () => {
  it('sha256Hex is the lowercase hex SHA-256 digest the config stores', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('maps each configured token to its own principal', () => {
    const { aliceToken, bobToken, authenticate } = setup();

    expect(authenticate(`Bearer ${aliceToken}`)).toEqual({ ok: true, principal: alice });
    expect(authenticate(`Bearer ${bobToken}`)).toEqual({ ok: true, principal: bob });
  });

  it('accepts the scheme in any case and tolerates extra spaces', () => {
    const { aliceToken, authenticate } = setup();

    expect(authenticate(`bearer ${aliceToken}`)).toEqual({ ok: true, principal: alice });
    expect(authenticate(`BEARER   ${aliceToken}  `)).toEqual({ ok: true, principal: alice });
  });

  it.each([undefined, ''])('refuses a missing header (%j) as missing_token and says how to send one', (header) => {
    const { authenticate } = setup();
    const result = failure(authenticate(header));

    expect(result.reason).toBe('missing_token');
    expect(result.message).toContain('Authorization: Bearer <token>');
  });

  it('refuses a malformed header as invalid_token without echoing it', () => {
    const { aliceToken, authenticate } = setup();

    for (const header of [`Basic ${aliceToken}`, aliceToken, 'Bearer', 'Bearer ', `Bearer ${aliceToken} extra`, `Token ${aliceToken}`]) {
      const result = failure(authenticate(header));
      expect(result.reason, header).toBe('invalid_token');
      expect(result.message, header).toMatch(/^malformed Authorization header/);
      expect(result.message, header).not.toContain(aliceToken);
    }
  });

  it('refuses a well-formed but unknown token as invalid_token without echoing it', () => {
    const { aliceToken, authenticate } = setup();
    const guessed = `${aliceToken.slice(0, -1)}x`;
    const result = failure(authenticate(`Bearer ${guessed}`));

    expect(result.reason).toBe('invalid_token');
    expect(result.message).toBe('invalid bearer token: it matches no configured token');
    expect(JSON.stringify(result)).not.toContain(guessed);
  });

  it('refuses the digest itself presented as the token', () => {
    const { aliceToken, authenticate } = setup();

    expect(authenticate(`Bearer ${sha256Hex(aliceToken)}`).ok).toBe(false);
  });

  it('refuses every token when none is configured', () => {
    const authenticate = createStaticTokenAuthenticator([]);

    expect(failure(authenticate('Bearer anything')).reason).toBe('invalid_token');
  });
});

describe('static token verifier', () => {
  it('maps a bare token to its principal and anything else to undefined', () => {
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
