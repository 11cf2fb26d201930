import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Principal } from '../../../events/src/index.ts';
import { sha256Hex, type EnvRef, type GatewayPortal, type GatewayServer, type SecretRef, type StaticToken, type UpstreamSpec } from '../../../gateway/src/index.ts';
import { resolveAuditTrailSettings, type AuditTrailSettings } from './audit-trail-settings.ts';
import type { GatehouseConfig } from './config-schema.ts';
import { ConfigError, formatPath } from './load-config.ts';

/** Overrides given on the command line, which win over the environment and the file. */
export interface CommandLineOverrides {
  port?: number;
}

export type StoreSettings = { kind: 'chdb'; path: string } | { kind: 'clickhouse'; url: string; username: string; password: string; database: string };

/** Everything a role needs, with secrets and endpoints resolved from the environment once, at start. */
export interface RuntimeSettings {
  config: GatehouseConfig;
  source: string;
  host: string;
  port: number;
  instanceId: string;
  kafkaBrokers: string[];
  store: StoreSettings;
  /** The audit trail's retention, checkpoint signing and dead-letter settings, resolved. */
  auditTrail: AuditTrailSettings;
  /** The key of the DLP's keyed hashes (`dlp.hash_key`), resolved; undefined: a per-process random key. */
  dlpHashKey: string | undefined;
  /** The OIDC shared secret (HS* algorithms only), resolved from the environment. */
  oidcSharedSecret: string | undefined;
  /** The API-key file, resolved. */
  apiKeysFile: string;
  /** The tool-pins file, resolved; undefined when pinning is off. */
  toolPinsFile: string | undefined;
  tokens: StaticToken[];
  portals: GatewayPortal[];
}

export function resolveRuntimeSettings(
  config: GatehouseConfig,
  source: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  overrides: CommandLineOverrides = {},
): RuntimeSettings {
  const problems: string[] = [];
  const fromEnv = (ref: EnvRef, at: ReadonlyArray<PropertyKey>): string => {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      problems.push(`  ${formatPath(at)}: environment variable ${ref.env} is not set; export it or change the config`);
      return '';
    }
    return value;
  };
  const secret = (ref: SecretRef, at: ReadonlyArray<PropertyKey>): string => {
    if ('env' in ref) return fromEnv(ref, [...at, 'env']);
    const file = path.resolve(cwd, ref.file);
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`  ${formatPath([...at, 'file'])}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path and its permissions`);
      return '';
    }
  };
  const resolveValues = (values: Record<string, string | SecretRef>, at: ReadonlyArray<PropertyKey>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? value : secret(value, [...at, key])]));

  const tokens = config.tokens.map((token, index): StaticToken => {
    const principal: Principal = { subject: token.subject, email: token.email, groups: token.groups };
    const sha256 = 'sha256' in token.token ? token.token.sha256 : sha256Hex(fromEnv(token.token, ['tokens', index, 'token', 'env']));
    return { sha256, principal };
  });

  const portals = config.portals.map((portal, portalIndex): GatewayPortal => ({
    name: portal.name,
    authentication: portal.authentication,
    ...(portal.access ? { access: portal.access } : {}),
    dlpProfile: portal.dlp_profile,
    toolPrefix: portal.tool_prefix,
    toolSeparator: portal.tool_separator,
    servers: portal.servers.map((server, serverIndex): GatewayServer => {
      const at = ['portals', portalIndex, 'servers', serverIndex];
      const bearer: Record<string, string> =
        server.transport === 'streamable-http' && server.bearer_token ? { Authorization: `Bearer ${secret(server.bearer_token, [...at, 'bearer_token'])}` } : {};
      const spec: UpstreamSpec =
        server.transport === 'stdio'
          ? { name: server.name, transport: 'stdio', command: server.command, args: server.args, env: resolveValues(server.env, [...at, 'env']), cwd: path.resolve(cwd, server.cwd ?? '.') }
          : { name: server.name, transport: 'streamable-http', url: server.url, headers: { ...resolveValues(server.headers, [...at, 'headers']), ...bearer } };
      return { name: server.name, spec, ...(server.access ? { access: server.access } : {}), tools: server.tools, prompts: server.prompts };
    }),
  }));

  const brokersFromEnv = env['KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()).filter(Boolean);
  const store = resolveStoreSettings(config, env, cwd, fromEnv);

  const port = overrides.port ?? parsePort(env['PORT'], problems) ?? config.gateway.port;
  const auditTrail = resolveAuditTrailSettings(config.audit, store, cwd, fromEnv);
  const dlpHashKey = config.dlp.hash_key ? fromEnv(config.dlp.hash_key, ['dlp', 'hash_key', 'env']) : undefined;
  const sharedSecretRef = config.identity.oidc?.shared_secret;
  const oidcSharedSecret = sharedSecretRef ? fromEnv(sharedSecretRef, ['identity', 'oidc', 'shared_secret', 'env']) : undefined;
  if (problems.length > 0) throw new ConfigError(`${source} cannot be used in this environment:\n${problems.join('\n')}`);

  return {
    config,
    source,
    host: config.gateway.host,
    port,
    instanceId: config.gateway.instance_id ?? `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]/g, '-'),
    kafkaBrokers: brokersFromEnv?.length ? brokersFromEnv : config.bus.kafka.brokers,
    store,
    auditTrail,
    dlpHashKey,
    oidcSharedSecret,
    apiKeysFile: path.resolve(cwd, config.identity.api_keys.file),
    toolPinsFile: config.gateway.tool_pinning.mode === 'off' ? undefined : path.resolve(cwd, config.gateway.tool_pinning.file),
    tokens,
    portals,
  };
}

type ResolveEnvRef = (ref: EnvRef, at: ReadonlyArray<PropertyKey>) => string;

/** Where the audit store is: CLICKHOUSE_URL or store.clickhouse_url for a server, else chDB at a path. */
export function resolveStoreSettings(config: GatehouseConfig, env: NodeJS.ProcessEnv, cwd: string, fromEnv: ResolveEnvRef): StoreSettings {
  const clickhouseUrl = env['CLICKHOUSE_URL'] || config.store.clickhouse_url;
  if (!clickhouseUrl) return { kind: 'chdb', path: path.resolve(cwd, env['GATEHOUSE_CHDB_PATH'] || config.store.chdb_path) };
  return {
    kind: 'clickhouse',
    url: clickhouseUrl,
    username: env['CLICKHOUSE_USER'] || config.store.username,
    password: env['CLICKHOUSE_PASSWORD'] ?? (config.store.password ? fromEnv(config.store.password, ['store', 'password', 'env']) : ''),
    database: config.store.database,
  };
}

function parsePort(value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`  PORT: "${value}" is not a port number (0-65535)`);
    return undefined;
  }
  return port;
}
