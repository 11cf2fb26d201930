import type { Logger } from 'pino';
import { UNAUTHENTICATED_PRINCIPAL, type Clock, type Principal } from '../../../events/src/index.ts';
import type { ApiKeyStore } from './api-key-store.ts';
import { looksLikeApiKey } from './api-key-format.ts';
import { parseBearerHeader } from './bearer-header.ts';
import type { OidcOptions } from './identity-config-schema.ts';
import type { AuthenticationFailure } from './identity-errors.ts';
import { createOidcVerifier } from './oidc-verifier.ts';
import { createStaticTokenVerifier, type StaticToken } from './static-token-authenticator.ts';

export type { AuthenticationFailure } from './identity-errors.ts';

export type AuthenticationMethod = 'static_token' | 'oidc' | 'api_key';

export type AuthenticationResult =
  | {
      ok: true;
      principal: Principal;
      method: AuthenticationMethod;
      /** API keys are scoped to portals; undefined = any portal. */
      portals?: string[];
      scopes: string[];
    }
  /** `message` says what was wrong and never contains the token. */
  | { ok: false; reason: AuthenticationFailure; message: string };

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<AuthenticationResult>;
  close?(): Promise<void>;
}

export interface AuthenticatorOptions {
  staticTokens: StaticToken[];
  oidc?: OidcOptions;
  /** The value of `oidc.shared_secret`, resolved from the environment; only for HS* algorithms. */
  oidcSharedSecret?: string;
  apiKeys?: ApiKeyStore;
  clock: Clock;
  logger: Logger;
}

/** Subjects the gateway gives callers itself; a token claiming one would pass for such a caller. */
const RESERVED_SUBJECT_PREFIX = UNAUTHENTICATED_PRINCIPAL.subject.slice(0, UNAUTHENTICATED_PRINCIPAL.subject.indexOf(':') + 1);

/** Three base64url parts: a JWS in compact form (the third is empty for `alg: none`, which is refused later). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * One bearer token, three kinds of credential, told apart by shape: a configured static token
 * (checked first, as its shape is free), an API key (`ghk_…`), else a JWT from the OpenID
 * provider. Outcomes are logged with the principal or the reason, never the token.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { apiKeys, logger } = options;
  const verifyStaticToken = createStaticTokenVerifier(options.staticTokens);
  const verifyJwt = options.oidc
    ? createOidcVerifier({ oidc: options.oidc, sharedSecret: options.oidcSharedSecret, clock: options.clock, logger })
    : undefined;

  async function authenticateToken(token: string): Promise<AuthenticationResult> {
    const principal = verifyStaticToken(token);
    if (principal) return { ok: true, principal, method: 'static_token', scopes: [] };
    if (looksLikeApiKey(token)) {
      if (!apiKeys) return { ok: false, reason: 'invalid_token', message: 'API keys are not enabled on this gateway' };
      const verified = await apiKeys.verify(token);
      if (!verified.ok) return verified;
      const { record } = verified;
      return {
        ok: true,
        principal: { subject: record.subject, email: record.email, groups: record.groups },
        method: 'api_key',
        portals: record.portals,
        scopes: record.scopes,
      };
    }
    if (JWT_SHAPE.test(token)) {
      if (!verifyJwt) return { ok: false, reason: 'invalid_token', message: 'invalid bearer token: a JWT was sent, but this gateway has no OpenID provider configured (identity.oidc)' };
      const verified = await verifyJwt(token);
      return verified.ok ? { ...verified, method: 'oidc' } : verified;
    }
    return { ok: false, reason: 'invalid_token', message: 'invalid bearer token: it matches no configured token' };
  }

  return {
    async authenticate(authorization) {
      const header = parseBearerHeader(authorization);
      if (!header.ok) return header;
      const token = await authenticateToken(header.token);
      const result: AuthenticationResult =
        token.ok && token.principal.subject.startsWith(RESERVED_SUBJECT_PREFIX)
          ? { ok: false, reason: 'invalid_token', message: `invalid bearer token: subjects starting with "${RESERVED_SUBJECT_PREFIX}" are reserved for the gateway` }
          : token;
      if (result.ok) logger.debug({ subject: result.principal.subject, method: result.method }, 'authenticated');
      else logger.debug({ reason: result.reason, detail: result.message }, 'authentication refused');
      return result;
    },
  };
}
