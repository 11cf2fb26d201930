import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { GatehouseConfigSchema } from '../../cli/src/config/config-schema.ts';
import { demoConfig } from '../../cli/src/config/demo-config.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { resolveRuntimeSettings, type RuntimeSettings } from '../../cli/src/config/runtime-settings.ts';

export const TEST_TOKEN = 'gh_test_token_0123456789abcdef';
export const testLogger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });

/** A temporary folder removed by the returned function. */
export async function temporaryDirectory(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `gatehouse-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Settings for a test: the demo config (or the given one) on port 0, chDB in `dataDir`, the test
 * token in place of the developer token, and a topic prefix of its own so runs never share topics.
 */
export function testSettings(options: { dataDir: string; config?: unknown; env?: NodeJS.ProcessEnv; topicPrefix?: string }): RuntimeSettings {
  const base = options.config === undefined ? demoConfig(REPO_ROOT, process.execPath) : GatehouseConfigSchema.parse(options.config);
  const config = {
    ...base,
    gateway: { ...base.gateway, port: 0, tool_pinning: { ...base.gateway.tool_pinning, file: path.join(options.dataDir, 'tool-pins.json') } },
    store: { ...base.store, chdb_path: path.join(options.dataDir, 'chdb') },
    bus: { ...base.bus, kafka: { ...base.bus.kafka, topic_prefix: options.topicPrefix ?? `gh-test-${process.pid}-${Date.now()}.` } },
  };
  return resolveRuntimeSettings(config, 'test config', { GATEHOUSE_DEV_TOKEN: TEST_TOKEN, ...options.env }, REPO_ROOT);
}
