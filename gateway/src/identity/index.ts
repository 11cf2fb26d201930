export { createAuthenticator, type AuthenticationMethod, type AuthenticationResult, type Authenticator, type AuthenticatorOptions } from './authenticator.ts';
export { AUTHENTICATION_FAILURES, ApiKeyFileError, IDENTITY_LOG_CODES, type AuthenticationErrorCode, type AuthenticationFailure } from './identity-errors.ts';
export {
  ApiKeysOptionsSchema,
  DEFAULT_API_KEYS_FILE,
  IdentityConfigSchema,
  OidcOptionsSchema,
  type IdentityConfig,
  type OidcOptions,
} from './identity-config-schema.ts';
export { createApiKeyStore, type ApiKeyStore, type ApiKeyVerification } from './api-key-store.ts';
export { apiKeyStatus, createApiKey, readApiKeyFile, revokeApiKey, type ApiKeyRecord, type ApiKeyStatus, type NewApiKey } from './api-key-file.ts';
export { sha256Hex, type StaticToken } from './static-token-authenticator.ts';
