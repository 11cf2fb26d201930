import type { Logger } from 'pino';
import type { Bus, Clock, Principal, Topics } from '../../../events/src/index.ts';
import { createApiKeyStore, createAuthenticator, createGateway, type ApiKeyStore, type Authenticator, type Gateway } from '../../../gateway/src/index.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import type { Metrics, ReadinessCheck, Tracing } from '../../../events/src/observability/index.ts';
import { GATEHOUSE_VERSION } from '../version.ts';

export interface GatewayRole {
  gateway: Gateway;
  /** The caller behind an Authorization header, by the gateway's current authenticator. */
  principalOf(authorization: string | undefined): Promise<Principal | undefined>;
  /** Applies a reloaded config: portals, policy and tokens; listen address, bus and store need a restart. */
  reload(settings: RuntimeSettings): Promise<void>;
}

/** The gateway as the config describes it; its authentication follows config reloads. */
export function createGatewayRole(input: {
  settings: RuntimeSettings;
  bus: Bus;
  topics: Topics;
  clock: Clock;
  logger: Logger;
  observability?: { metrics?: Metrics | undefined; tracing?: Tracing; readiness?: ReadinessCheck[] };
}): GatewayRole {
  const { settings, clock, logger } = input;
  let apiKeys = createApiKeyStore({ file: settings.apiKeysFile, clock, logger });
  let authenticator = authenticatorFor(settings, apiKeys, clock, logger);
  const gateway = createGateway({
    portals: settings.portals,
    authenticate: (authorization) => authenticator.authenticate(authorization),
    publicUrl: settings.config.gateway.public_url,
    authorizationServers: settings.config.identity.oidc ? [settings.config.identity.oidc.issuer] : [],
    requiredScopes: settings.config.identity.oidc?.required_scopes ?? [],
    bus: input.bus,
    topics: input.topics,
    clock: input.clock,
    logger: input.logger,
    instanceId: settings.instanceId,
    ...(input.observability?.metrics ? { metrics: input.observability.metrics } : {}),
    ...(input.observability?.tracing ? { tracing: input.observability.tracing } : {}),
    ...(input.observability?.readiness ? { readiness: input.observability.readiness } : {}),
    verdictTimeoutMs: settings.config.gateway.verdict_timeout_ms,
    upstreamTimeoutMs: settings.config.gateway.upstream_timeout_ms,
    maxBodyBytes: settings.config.gateway.max_body_bytes,
    allowedHosts: settings.config.gateway.allowed_hosts,
    allowedOrigins: settings.config.gateway.allowed_origins,
    sessions: {
      max: settings.config.gateway.sessions.max,
      idleTimeoutMs: settings.config.gateway.sessions.idle_timeout_ms,
      replayMessages: settings.config.gateway.sessions.replay_messages,
      endStreamsAfterMs: settings.config.gateway.sessions.end_streams_after_ms,
    },
    serverVersion: GATEHOUSE_VERSION,
    ...(settings.toolPinsFile ? { toolPinning: { file: settings.toolPinsFile, onChange: settings.config.gateway.tool_pinning.on_change } } : {}),
  });
  return {
    gateway,
    async principalOf(authorization) {
      const result = await authenticator.authenticate(authorization);
      return result.ok ? result.principal : undefined;
    },
    async reload(next) {
      if (next.apiKeysFile !== settings.apiKeysFile) apiKeys = createApiKeyStore({ file: next.apiKeysFile, clock, logger });
      authenticator = authenticatorFor(next, apiKeys, clock, logger);
      await gateway.reload(next.portals);
    },
  };
}

function authenticatorFor(settings: RuntimeSettings, apiKeys: ApiKeyStore, clock: Clock, logger: Logger): Authenticator {
  return createAuthenticator({
    staticTokens: settings.tokens,
    ...(settings.config.identity.oidc ? { oidc: settings.config.identity.oidc } : {}),
    ...(settings.oidcSharedSecret ? { oidcSharedSecret: settings.oidcSharedSecret } : {}),
    apiKeys,
    clock,
    logger,
  });
}
