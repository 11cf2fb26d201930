import type { Logger } from 'pino';
import type { Bus, Clock, Topics } from '../../../events/src/index.ts';
import { createGateway, createStaticTokenAuthenticator, type Gateway, type GatewayOptions } from '../../../gateway/src/index.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import { GATEHOUSE_VERSION } from '../version.ts';

export interface GatewayRole {
  gateway: Gateway;
  /** Applies a reloaded config: portals, policy and tokens; listen address, bus and store need a restart. */
  reload(settings: RuntimeSettings): Promise<void>;
}

/** The gateway as the config describes it; its authentication follows config reloads. */
export function createGatewayRole(input: { settings: RuntimeSettings; bus: Bus; topics: Topics; clock: Clock; logger: Logger }): GatewayRole {
  const { settings } = input;
  let authenticate = authenticationFor(settings);
  const gateway = createGateway({
    portals: settings.portals,
    authenticate: (authorization) => authenticate(authorization),
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
    ...(settings.toolPinsFile ? { toolPinning: { file: settings.toolPinsFile, onChange: settings.config.gateway.tool_pinning.on_change } } : {}),
  });
  return {
    gateway,
    async reload(next) {
      authenticate = authenticationFor(next);
      await gateway.reload(next.portals);
    },
  };
}

function authenticationFor(settings: RuntimeSettings): GatewayOptions['authenticate'] {
  const authenticate = createStaticTokenAuthenticator(settings.tokens);
  return async (authorization) => {
    const result = authenticate(authorization);
    return result.ok ? { ok: true, principal: result.principal, method: 'static_token', scopes: [] } : result;
  };
}
