import path from 'node:path';
import { existsSync } from 'node:fs';
import type { CommandIO } from '../command.ts';
import type { GatehouseConfig } from './config-schema.ts';
import { demoConfig } from './demo-config.ts';
import { ConfigError, formatPath, loadConfigFile } from './load-config.ts';
import { resolveRuntimeSettings, resolveStoreSettings, type CommandLineOverrides, type RuntimeSettings, type StoreSettings } from './runtime-settings.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const DEMO_SOURCE = 'the built-in demo config';

export interface LoadedConfig {
  config: GatehouseConfig;
  source: string;
  /** Relative paths in the config are resolved against this folder. */
  baseDir: string;
}

/**
 * The config a command runs with: --config FILE, else $GATEHOUSE_CONFIG, else ./gatehouse.yaml
 * when present, else (only where `allowDemo`) the built-in demo.
 */
export async function loadConfigFor(io: CommandIO, configPath: string | undefined, allowDemo: boolean): Promise<LoadedConfig> {
  const explicit = configPath ?? io.env['GATEHOUSE_CONFIG'];
  const implicit = path.join(io.cwd, 'gatehouse.yaml');
  const file = explicit ? path.resolve(io.cwd, explicit) : existsSync(implicit) || !allowDemo ? implicit : undefined;
  if (file) return { config: await loadConfigFile(file), source: file, baseDir: path.dirname(file) };
  return { config: demoConfig(REPO_ROOT, process.execPath), source: DEMO_SOURCE, baseDir: io.cwd };
}

export async function loadSettings(
  io: CommandIO,
  options: { configPath?: string; allowDemo: boolean; overrides?: CommandLineOverrides; env?: NodeJS.ProcessEnv },
): Promise<RuntimeSettings> {
  const { config, source, baseDir } = await loadConfigFor(io, options.configPath, options.allowDemo);
  return resolveRuntimeSettings(config, source, options.env ?? io.env, baseDir, options.overrides);
}

/** Only the audit store's settings: what `gatehouse audit` needs, without the gateway's secrets. */
export async function loadStoreSettings(io: CommandIO, configPath: string | undefined): Promise<StoreSettings> {
  const { config, source, baseDir } = await loadConfigFor(io, configPath, true);
  return resolveStoreSettings(config, io.env, baseDir, (ref, at) => {
    const value = io.env[ref.env];
    if (!value) throw new ConfigError(`${source}: ${formatPath(at)}: environment variable ${ref.env} is not set`);
    return value;
  });
}
