import { z } from 'zod';
import { EnvRefSchema } from '../config-schema.ts';

/** JWS algorithms verified against the provider's published keys. `none` is never accepted. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
/** Algorithms keyed by a secret shared with the provider; accepted only with `shared_secret`. */
export const SHARED_SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

const HttpUrlSchema = z.url({ protocol: /^https?$/ });

/** How access tokens from the company's OpenID provider are verified. */
export const OidcOptionsSchema = z
  .object({
    /** The provider's issuer identifier, exactly as in its tokens' `iss` claim. */
    issuer: HttpUrlSchema,
    /** The audience tokens must be minted for: the gateway's resource URL (or several). */
    audience: z.union([HttpUrlSchema, z.array(HttpUrlSchema).min(1)]),
    /** Where the provider publishes its keys; discovered from <issuer>/.well-known/openid-configuration when absent. */
    jwks_uri: HttpUrlSchema.optional(),
    /** Algorithms a token may be signed with; anything else is refused. */
    algorithms: z.array(z.enum([...ASYMMETRIC_ALGORITHMS, ...SHARED_SECRET_ALGORITHMS])).min(1).default(['RS256', 'ES256']),
    /** Secret for HS256/384/512 tokens; only for providers that sign access tokens with a shared secret. */
    shared_secret: EnvRefSchema.optional(),
    /** Claim holding the user's groups: a name, or a dotted path into nested objects (`realm_access.roles`). */
    groups_claim: z.string().min(1).default('groups'),
    /** Refuse tokens without the groups claim instead of treating them as members of no group. */
    require_groups_claim: z.boolean().default(false),
    email_claim: z.string().min(1).default('email'),
    /** Scopes every token must carry; a token without them gets 403 insufficient_scope. */
    required_scopes: z.array(z.string().min(1)).default([]),
    /** Seconds of clock difference allowed between the provider and the gateway when checking exp and nbf. */
    clock_tolerance_seconds: z.number().int().min(0).max(300).default(30),
  })
  .strict()
  .superRefine((options, ctx) => {
    const wantsSharedSecret = options.algorithms.some((algorithm) => (SHARED_SECRET_ALGORITHMS as readonly string[]).includes(algorithm));
    if (wantsSharedSecret && !options.shared_secret) {
      ctx.addIssue({ code: 'custom', path: ['algorithms'], message: 'HS256/HS384/HS512 need shared_secret: { env: NAME }; prefer the provider\'s asymmetric keys' });
    }
    if (options.shared_secret && !wantsSharedSecret) {
      ctx.addIssue({ code: 'custom', path: ['shared_secret'], message: 'shared_secret is used only when algorithms lists HS256, HS384 or HS512' });
    }
  });
export type OidcOptions = z.infer<typeof OidcOptionsSchema>;

export const DEFAULT_API_KEYS_FILE = './data/api-keys.json';

export const ApiKeysOptionsSchema = z
  .object({
    /** The key file `gatehouse keys` writes and the gateway reads; relative to the config file's folder. */
    file: z.string().min(1).default(DEFAULT_API_KEYS_FILE),
  })
  .strict();

/** The `identity:` section of gatehouse.yaml. */
export const IdentityConfigSchema = z
  .object({
    oidc: OidcOptionsSchema.optional(),
    api_keys: ApiKeysOptionsSchema.prefault({}),
  })
  .strict();
export type IdentityConfig = z.infer<typeof IdentityConfigSchema>;
