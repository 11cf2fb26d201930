import type { Logger } from 'pino';
import type { Bus, Clock, Topics } from '../../../events/src/index.ts';
import type { GatewayOptions } from '../../../gateway/src/index.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import { GATEHOUSE_VERSION } from '../version.ts';

export function gatewayOptions(input: { settings: RuntimeSettings; bus: Bus; topics: Topics; clock: Clock; logger: Logger }): GatewayOptions {
  const { settings } = input;
  return {
    portals: settings.portals,
    tokens: settings.tokens,
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
