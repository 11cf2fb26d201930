import type { Logger } from 'pino';
import type { Bus, Clock, Topics } from '../../../events/src/index.ts';
import { createStaticTokenAuthenticator, type GatewayOptions, type StaticToken } from '../../../gateway/src/index.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import { GATEHOUSE_VERSION } from '../version.ts';

export function gatewayOptions(input: { settings: RuntimeSettings; bus: Bus; topics: Topics; clock: Clock; logger: Logger }): GatewayOptions {
  const { settings } = input;
  return {
    portals: settings.portals,
    authenticate: staticTokenAuthentication(settings.tokens),
    publicUrl: settings.config.gateway.public_url,
    authorizationServers: [],
    requiredScopes: [],
    bus: input.bus,
    topics: input.topics,
    clock: input.clock,
    logger: input.logger,
    instanceId: settings.instanceId,
    verdictTimeoutMs: settings.config.gateway.verdict_timeout_ms,
    upstreamTimeoutMs: settings.config.gateway.upstream_timeout_ms,
    maxBodyBytes: settings.config.gateway.max_body_bytes,
    serverVersion: GATEHOUSE_VERSION,
  };
}

function staticTokenAuthentication(tokens: StaticToken[]): GatewayOptions['authenticate'] {
  const authenticate = createStaticTokenAuthenticator(tokens);
  return async (authorization) => {
    const result = authenticate(authorization);
    return result.ok ? { ok: true, principal: result.principal, method: 'static_token', scopes: [] } : result;
  };
}
