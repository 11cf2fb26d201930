// The subset of oidc-provider (an untyped package) that test/support/oidc-provider.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string } };
  }

  export interface Configuration {
    clients?: Array<Record<string, unknown>>;
    jwks?: { keys: Array<Record<string, unknown>> };
    scopes?: string[];
    cookies?: { keys: string[] };
    ttl?: Record<string, number | ((...args: unknown[]) => number)>;
    features?: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: unknown) => string | undefined;
        useGrantedResource?: (ctx: unknown) => boolean;
        getResourceServerInfo?: (ctx: unknown, resourceIndicator: string, client: unknown) => ResourceServer | Promise<ResourceServer>;
      };
    };
    extraTokenClaims?: (ctx: unknown, token: { clientId?: string }) => Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export const errors: { InvalidTarget: new (description?: string) => Error };
}
