import type { FastifyInstance, FastifyRequest } from 'fastify';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The gateway's base URL as clients reach it: the configured public URL, else the scheme and Host
 * of the request (right when clients reach the gateway directly or through a proxy that keeps Host).
 */
export function baseUrlOf(publicUrl: string | undefined, request: FastifyRequest): string {
  return publicUrl ?? `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

/** The resource a portal is, as tokens must name it in their audience. */
export function resourceUrl(publicUrl: string, portal?: string): string {
  return `${publicUrl}/mcp${portal ? `/${portal}` : ''}`;
}

/** Where a client finds the metadata of a resource (RFC 9728: the path-suffixed form). */
export function resourceMetadataUrl(publicUrl: string, portal?: string): string {
  return `${publicUrl}${WELL_KNOWN}/mcp${portal ? `/${portal}` : ''}`;
}

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728), as the MCP authorization spec asks: for the
 * gateway as a whole, for /mcp and for each /mcp/<portal>. It names the authorization server
 * clients get tokens from.
 */
export function registerProtectedResourceMetadata(
  app: FastifyInstance,
  options: { publicUrl: string | undefined; authorizationServers: string[]; scopesSupported: string[]; portalExists: (name: string) => boolean },
): void {
  const document = (resource: string) => ({
    resource,
    authorization_servers: options.authorizationServers,
    bearer_methods_supported: ['header'],
    ...(options.scopesSupported.length > 0 ? { scopes_supported: options.scopesSupported } : {}),
    resource_name: 'Gatehouse MCP gateway',
  });
  app.get(WELL_KNOWN, async (request) => document(resourceUrl(baseUrlOf(options.publicUrl, request))));
  app.get(`${WELL_KNOWN}/mcp`, async (request) => document(resourceUrl(baseUrlOf(options.publicUrl, request))));
  app.get<{ Params: { portal: string } }>(`${WELL_KNOWN}/mcp/:portal`, async (request, reply) => {
    if (!options.portalExists(request.params.portal)) return reply.status(404).send({ error: `no portal named "${request.params.portal}"` });
    return document(resourceUrl(baseUrlOf(options.publicUrl, request), request.params.portal));
  });
}
