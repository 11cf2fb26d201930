import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import Provider, { errors } from 'oidc-provider';

/** A client of the test provider: a user or service that gets tokens with the client credentials grant. */
export interface TestOidcClient {
  id: string;
  /** The groups claim of its access tokens; `undefined` leaves the claim out. */
  groups?: string[];
  email?: string;
}

export interface StartTestOidcProviderOptions {
  /** Resource indicators (RFC 8707) the provider issues JWT access tokens for: their `aud`. */
  resources: string[];
  clients: TestOidcClient[];
  /** Name of the groups claim in access tokens. */
  groupsClaim?: string;
  accessTokenTtlSeconds?: number;
}

export type SigningKeyChoice = 'provider-es256' | 'provider-rs256' | 'attacker';

export interface SignTokenOptions {
  /** The provider's own keys (as published in its JWKS) or a key it never published. */
  key?: SigningKeyChoice;
  /** Overrides the `kid` header; by default the chosen key's own kid. */
  kid?: string;
  /** Claims added to, or replacing, the defaults (iss, aud = first resource, sub, iat, exp in 5 minutes). */
  claims?: JWTPayload & Record<string, unknown>;
  /** Claims removed from the defaults. */
  omit?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  jwksUri: string;
  /** Gets an access token from the running provider's token endpoint (client credentials grant, resource indicator). */
  issueAccessToken(clientId: string, options: { resource: string; scope?: string }): Promise<string>;
  /** Signs a token with chosen claims and key, for the cases the provider's own flows refuse to produce. */
  signToken(options?: SignTokenOptions): Promise<string>;
  /** An unsigned token (`alg: none`) with the default claims. */
  unsignedToken(claims?: JWTPayload): string;
  /** A token signed HS256 with the provider's public RSA key as the secret (the algorithm-confusion attack). */
  algorithmConfusionToken(): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

async function makeSigningKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' } };
}

const CLIENT_SCOPE = 'mcp:tools mcp:read';

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 and a free port, issuing JWT access tokens
 * for resource indicators. Each client's tokens carry its groups and email; `signToken` makes
 * tokens the provider's flows would never produce (expired, other issuer, attacker key, …).
 */
export async function startTestOidcProvider(options: StartTestOidcProviderOptions): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const groupsClaim = options.groupsClaim ?? 'groups';
  const ttl = options.accessTokenTtlSeconds ?? 300;
  const keys = {
    'provider-es256': await makeSigningKey('ES256', `es-${randomBytes(4).toString('hex')}`),
    'provider-rs256': await makeSigningKey('RS256', `rs-${randomBytes(4).toString('hex')}`),
    attacker: await makeSigningKey('ES256', `attacker-${randomBytes(4).toString('hex')}`),
  } satisfies Record<SigningKeyChoice, SigningKey>;
  const secrets = new Map(options.clients.map((client) => [client.id, randomBytes(24).toString('base64url')]));
  const clientsById = new Map(options.clients.map((client) => [client.id, client]));

  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({
      client_id: client.id,
      client_secret: secrets.get(client.id)!,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: CLIENT_SCOPE,
    })),
    jwks: { keys: [keys['provider-es256'].privateJwk, keys['provider-rs256'].privateJwk] },
    scopes: ['openid', ...CLIENT_SCOPE.split(' ')],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: { ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resources[0]!,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (!options.resources.includes(resourceIndicator)) throw new errors.InvalidTarget();
          return { scope: CLIENT_SCOPE, audience: resourceIndicator, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const client = clientsById.get(token.clientId ?? '');
      const claims: Record<string, unknown> = {};
      if (client?.groups) claims[groupsClaim] = client.groups;
      if (client?.email) claims['email'] = client.email;
      return claims;
    },
  });
  server.on('request', provider.callback());

  const defaultClaims = (): JWTPayload & Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: issuer, aud: options.resources[0], sub: 'signed-by-test', iat: now, exp: now + 300, scope: CLIENT_SCOPE };
  };
  const claimsFor = (signOptions: SignTokenOptions) => {
    const claims = { ...defaultClaims(), ...signOptions.claims };
    for (const name of signOptions.omit ?? []) delete claims[name];
    return claims;
  };

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    async issueAccessToken(clientId, { resource, scope = CLIENT_SCOPE }) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secrets.get(clientId) ?? '', resource, scope }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!response.ok || !body.access_token) throw new Error(`token endpoint answered ${response.status}: ${body.error} ${body.error_description ?? ''}`);
      return body.access_token;
    },
    async signToken(signOptions = {}) {
      const key = keys[signOptions.key ?? 'provider-es256'];
      return new SignJWT(claimsFor(signOptions))
        .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: signOptions.kid ?? key.kid })
        .sign(key.privateKey);
    },
    unsignedToken(claims = {}) {
      return new UnsecuredJWT({ ...defaultClaims(), ...claims }).encode();
    },
    async algorithmConfusionToken() {
      const secret = new TextEncoder().encode(JSON.stringify(keys['provider-rs256'].publicJwk));
      return new SignJWT(defaultClaims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keys['provider-rs256'].kid }).sign(secret);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
