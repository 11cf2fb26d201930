import { z } from 'zod';

const DiscoveryDocumentSchema = z.object({ issuer: z.string(), jwks_uri: z.url({ protocol: /^https?$/ }) });

export class OidcDiscoveryError extends Error {}

/**
 * The provider's JWKS address from its OpenID discovery document. The document must name the
 * configured issuer exactly (OpenID Connect Discovery 1.0, section 4.3), so a misconfigured or
 * impersonated endpoint cannot substitute another provider's keys.
 */
export async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new OidcDiscoveryError(`cannot fetch ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new OidcDiscoveryError(`${url} answered HTTP ${response.status}`);
  const parsed = DiscoveryDocumentSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new OidcDiscoveryError(`${url} is not an OpenID discovery document with issuer and jwks_uri`);
  if (parsed.data.issuer !== issuer) {
    throw new OidcDiscoveryError(`${url} names issuer "${parsed.data.issuer}", not the configured "${issuer}"; set identity.oidc.issuer to the provider's exact issuer`);
  }
  return new URL(parsed.data.jwks_uri);
}
