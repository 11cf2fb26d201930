/** Why a request could not be authenticated; each maps to one stable code the client sees. */
export type AuthenticationFailure = 'missing_token' | 'invalid_token' | 'expired_token' | 'wrong_audience' | 'wrong_issuer' | 'revoked_key';

/**
 * HTTP 401 codes, one per failure, with the fix. Listed in gateway/README.md ("Identity"); never
 * reused for another meaning.
 */
export const AUTHENTICATION_FAILURES = {
  missing_token: { code: 'GH_ERR_AUTH_MISSING_TOKEN', hint: 'send "Authorization: Bearer <token>"' },
  invalid_token: { code: 'GH_ERR_AUTH_INVALID_TOKEN', hint: 'the token is malformed, unknown or not signed by the configured OpenID provider; get a new one' },
  expired_token: { code: 'GH_ERR_AUTH_EXPIRED_TOKEN', hint: 'the token or API key has expired; sign in again or create a new key' },
  wrong_audience: { code: 'GH_ERR_AUTH_WRONG_AUDIENCE', hint: 'the token was minted for another resource; request one for this gateway\'s URL (resource indicator)' },
  wrong_issuer: { code: 'GH_ERR_AUTH_WRONG_ISSUER', hint: 'the token comes from another issuer than the configured OpenID provider' },
  revoked_key: { code: 'GH_ERR_AUTH_REVOKED_KEY', hint: 'the API key was revoked; ask an administrator for a new one (gatehouse keys create)' },
} as const satisfies Record<AuthenticationFailure, { code: string; hint: string }>;

export type AuthenticationErrorCode = (typeof AUTHENTICATION_FAILURES)[AuthenticationFailure]['code'];

/** Codes that stay inside the process (logs, CLI), never sent to a client. */
export const IDENTITY_LOG_CODES = {
  discoveryFailed: 'GH_ERR_OIDC_DISCOVERY_FAILED',
  jwksUnavailable: 'GH_ERR_OIDC_JWKS_UNAVAILABLE',
  apiKeysFileInvalid: 'GH_ERR_API_KEYS_FILE_INVALID',
} as const;

/** The API key file cannot be read or is not a valid key file; the message names the file and the fix. */
export class ApiKeyFileError extends Error {
  readonly code = IDENTITY_LOG_CODES.apiKeysFileInvalid;
}
