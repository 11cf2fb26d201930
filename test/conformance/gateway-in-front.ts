import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { GatehouseConfigSchema } from '../../cli/src/config/config-schema.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { resolveRuntimeSettings } from '../../cli/src/config/runtime-settings.ts';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';

export interface GatewayInFront {
  /** The portal's MCP endpoint, as the conformance suite calls it. */
  url: string;
  pipeline: EmbeddedPipeline;
  close(): Promise<void>;
}

/**
 * The whole embedded pipeline (gateway, DLP worker, audit ingest into chDB) with one portal in
 * front of `upstreamUrl`: no authentication, since the suite sends no token (so loopback only),
 * and no tool prefix, since the suite calls the fixture's tools, prompts and resources by their
 * own names. Everything still passes the DLP and lands in the audit trail.
 */
export async function startGatewayInFront(upstreamUrl: string, options: { logLevel?: string } = {}): Promise<GatewayInFront> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-conformance-'));
  const config = GatehouseConfigSchema.parse({
    // Streams of calls still running after 200 ms end, as the fixture's own do (the suite's SSE
    // polling scenario); only its reconnection tool runs that long.
    gateway: { host: '127.0.0.1', port: 0, tool_pinning: { mode: 'off' }, sessions: { end_streams_after_ms: 200 } },
    store: { chdb_path: path.join(dataDir, 'chdb') },
    portals: [
      {
        name: 'conformance',
        authentication: 'none',
        tool_prefix: false,
        servers: [{ name: 'fixture', transport: 'streamable-http', url: upstreamUrl }],
      },
    ],
  });
  const settings = resolveRuntimeSettings(config, 'conformance config', {}, REPO_ROOT);
  const logger = pino({ level: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'silent' });
  const pipeline = await startEmbeddedPipeline(settings, logger).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `${pipeline.url}/mcp/conformance`,
    pipeline,
    async close() {
      await pipeline.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
