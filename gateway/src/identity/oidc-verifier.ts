import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { Clock, Principal } from '../../../events/src/index.ts';
import type { OidcOptions } from './identity-config-schema.ts';
import { SHARED_SECRET_ALGORITHMS } from './identity-config-schema.ts';
import { IDENTITY_LOG_CODES, type AuthenticationFailure } from './identity-errors.ts';
import { discoverJwksUri } from './oidc-discovery.ts';
import { readEmail, readGroups, readScopes } from './token-claims.ts';

export type OidcVerification =
  | { ok: true; principal: Principal; scopes: string[] }
  | { ok: false; reason: AuthenticationFailure; message: string };

export interface OidcVerifierOptions {
  oidc: OidcOptions;
  /** The resolved `shared_secret`, for HS* algorithms. */
  sharedSecret?: string;
  clock: Clock;
  logger: Logger;
}

const PROVIDER_TIMEOUT_MS = 5_000;
/** After a failed discovery, requests are refused this long before the provider is asked again. */
const DISCOVERY_RETRY_MS = 5_000;

const refuse = (reason: AuthenticationFailure, message: string): OidcVerification => ({ ok: false, reason, message });
const isSharedSecretAlgorithm = (algorithm: string) => (SHARED_SECRET_ALGORITHMS as readonly string[]).includes(algorithm);
const KEYS_UNAVAILABLE = refuse('invalid_token', 'the token cannot be verified now: the OpenID provider\'s signing keys are unavailable; retry shortly');

/** The provider's keys could not be fetched: the provider's problem (or the network's), not the token's. */
class ProviderKeysUnavailable extends Error {}

/**
 * jose's remote key set, with its failures sorted: a key id the provider does not publish is the
 * token's fault; anything else (timeout, HTTP error, bad JWKS, network) is ProviderKeysUnavailable.
 */
function sortKeyFailures(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new ProviderKeysUnavailable((error as Error).message);
    }
  };
}

/** The provider's signing keys, discovered on first use and cached by jose (refetched for unknown key ids). */
function createProviderKeys(options: OidcVerifierOptions): () => Promise<JWTVerifyGetKey> {
  const { oidc, clock, logger } = options;
  const remote = (url: URL) => sortKeyFailures(createRemoteJWKSet(url, { timeoutDuration: PROVIDER_TIMEOUT_MS }));
  if (oidc.jwks_uri) {
    const keys = remote(new URL(oidc.jwks_uri));
    return async () => keys;
  }
  let discovered: Promise<JWTVerifyGetKey> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (!discovered && clock.now() - failedAt >= DISCOVERY_RETRY_MS) {
      discovered = discoverJwksUri(oidc.issuer, PROVIDER_TIMEOUT_MS).then(remote);
      discovered.catch((error: Error) => {
        failedAt = clock.now();
        discovered = undefined;
        logger.error({ code: IDENTITY_LOG_CODES.discoveryFailed, issuer: oidc.issuer, err: error.message }, 'OpenID discovery failed; JWT bearer tokens are refused until it succeeds');
      });
    }
    return discovered ?? Promise.reject(new ProviderKeysUnavailable('OpenID discovery failed recently'));
  };
}

/**
 * Verifies JWT access tokens from the configured OpenID provider: signature by a published key
 * (or the shared secret for HS*), one of the pinned algorithms, issuer, audience, expiry; then
 * reads subject, email, groups and scopes.
 */
export function createOidcVerifier(options: OidcVerifierOptions): (token: string) => Promise<OidcVerification> {
  const { oidc, sharedSecret, clock, logger } = options;
  const audiences = typeof oidc.audience === 'string' ? [oidc.audience] : oidc.audience;
  const providerKeys = createProviderKeys(options);
  const secretKey = sharedSecret === undefined ? undefined : new TextEncoder().encode(sharedSecret);
  const secretAlgorithms: string[] = oidc.algorithms.filter(isSharedSecretAlgorithm);
  const keyAlgorithms: string[] = oidc.algorithms.filter((algorithm) => !isSharedSecretAlgorithm(algorithm));
  const acceptedAlgorithms = `accepted: ${oidc.algorithms.join(', ')}`;

  async function verifySignatureAndClaims(token: string, algorithm: string): Promise<{ payload: JWTPayload } | { refused: OidcVerification }> {
    const common = {
      issuer: oidc.issuer,
      audience: audiences,
      clockTolerance: oidc.clock_tolerance_seconds,
      currentDate: new Date(clock.now()),
      requiredClaims: ['exp', 'sub'],
    };
    if (isSharedSecretAlgorithm(algorithm)) {
      if (!secretKey || !secretAlgorithms.includes(algorithm)) return { refused: refuse('invalid_token', `token is signed with ${algorithm}, which this gateway does not accept (${acceptedAlgorithms})`) };
      return { payload: (await jwtVerify(token, secretKey, { ...common, algorithms: secretAlgorithms })).payload };
    }
    let keys: JWTVerifyGetKey;
    try {
      keys = await providerKeys();
    } catch {
      return { refused: KEYS_UNAVAILABLE };
    }
    // With only HS* configured the list is empty and jose refuses every algorithm, as it should.
    return { payload: (await jwtVerify(token, keys, { ...common, algorithms: keyAlgorithms })).payload };
  }

  function explain(error: unknown): OidcVerification {
    if (error instanceof errors.JWTExpired) {
      const exp = typeof error.payload['exp'] === 'number' ? ` at ${new Date(error.payload['exp'] * 1000).toISOString()}` : '';
      return refuse('expired_token', `token expired${exp}; get a new one from the OpenID provider`);
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'iss') return refuse('wrong_issuer', `token was not issued by ${oidc.issuer}`);
      if (error.claim === 'aud') return refuse('wrong_audience', `token was not minted for this gateway (audience ${audiences.join(' or ')})`);
      if (error.reason === 'missing') return refuse('invalid_token', `token lacks the required "${error.claim}" claim`);
      return refuse('invalid_token', `token's "${error.claim}" claim is not acceptable (${error.reason})`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) return refuse('invalid_token', `token is signed with an algorithm this gateway does not accept (${acceptedAlgorithms})`);
    if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('invalid_token', 'token signature is invalid');
    if (error instanceof errors.JWKSNoMatchingKey) return refuse('invalid_token', 'token is signed with a key the OpenID provider does not publish');
    if (error instanceof ProviderKeysUnavailable) {
      logger.error({ code: IDENTITY_LOG_CODES.jwksUnavailable, issuer: oidc.issuer, err: (error as Error).message }, 'cannot fetch the OpenID provider\'s signing keys');
      return KEYS_UNAVAILABLE;
    }
    return refuse('invalid_token', 'malformed token: not a JWT this gateway can verify');
  }

  return async (token) => {
    let algorithm: string;
    let unverified: JWTPayload;
    try {
      algorithm = String(decodeProtectedHeader(token).alg);
      unverified = decodeJwt(token);
    } catch {
      return refuse('invalid_token', 'malformed token: not a JWT');
    }
    // Told apart before any key is fetched: a token from another provider is a configuration matter, not an attack on this one.
    if (unverified.iss !== oidc.issuer) return refuse('wrong_issuer', `token was not issued by ${oidc.issuer}`);
    let payload: JWTPayload;
    try {
      const verified = await verifySignatureAndClaims(token, algorithm);
      if ('refused' in verified) return verified.refused;
      payload = verified.payload;
    } catch (error) {
      return explain(error);
    }
    const groups = readGroups(payload, oidc.groups_claim);
    if (groups && 'invalid' in groups) return refuse('invalid_token', `token's "${oidc.groups_claim}" claim is not a list of group names`);
    if (!groups && oidc.require_groups_claim) {
      return refuse('invalid_token', `token has no "${oidc.groups_claim}" claim, which this gateway requires; configure the provider to include it`);
    }
    const principal: Principal = { subject: payload.sub!, email: readEmail(payload, oidc.email_claim), groups: groups?.groups ?? [] };
    return { ok: true, principal, scopes: readScopes(payload) };
  }
}
