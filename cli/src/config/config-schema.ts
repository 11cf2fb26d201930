import { z } from 'zod';
import { DlpConfigSchema } from '../../../dlp-worker/src/index.ts';
import { EnvRefSchema, IdentityConfigSchema, isLoopbackHost, PortalConfigSchema, SecretRefSchema, TokenConfigSchema } from '../../../gateway/src/index.ts';
import { ExportSectionSchema } from './export-config-schema.ts';
import { ObservabilitySectionSchema } from './observability-config-schema.ts';

const GatewaySectionSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** The URL clients use to reach the gateway (behind a proxy: its public https URL); names the OAuth protected resources. Default: taken from each request. */
    public_url: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')).optional(),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Unique per running gateway; names its reply topic. Defaults to hostname and process id. */
    instance_id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'use letters, digits, ".", "_" and "-"').optional(),
    verdict_timeout_ms: z.number().int().min(50).max(120_000).default(5_000),
    upstream_timeout_ms: z.number().int().min(100).max(600_000).default(60_000),
    max_body_bytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
    /**
     * Host header names (no port) the MCP endpoint answers, against DNS rebinding. Default: the
     * localhost names when listening on loopback, plus public_url's host; no check otherwise.
     */
    allowed_hosts: z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/, 'a host name or address without port, e.g. mcp.example.com or [::1]')).optional(),
    /** Origin host names browsers may call from (no scheme, no port). Default: the allowed hosts, else the request's own Host. */
    allowed_origins: z.array(z.string().min(1)).optional(),
    /** 2025-11-25 clients get sessions (a GET stream, resumable after a reconnect); idle ones are closed. */
    sessions: z
      .object({
        max: z.number().int().min(1).max(1_000_000).default(10_000),
        idle_timeout_ms: z.number().int().min(1_000).default(30 * 60 * 1_000),
        /** Messages kept per session so a client that lost its stream can resume it (Last-Event-ID). */
        replay_messages: z.number().int().min(0).max(100_000).default(1_000),
        /**
         * A call still running after this long has its SSE stream ended; the client resumes it
         * from the replay buffer (SSE polling), so long calls hold no connection through proxies
         * with idle limits. 0 keeps every stream open.
         */
        end_streams_after_ms: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    /**
     * Tool pinning against rug pulls: `tofu` approves each tool's first definition and withholds
     * (or, with on_change: allow, only reports) a later change until `gatehouse tools approve`.
     */
    tool_pinning: z
      .object({
        mode: z.enum(['tofu', 'off']).default('tofu'),
        on_change: z.enum(['withhold', 'allow']).default('withhold'),
        file: z.string().default('./data/tool-pins.json'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const BusSectionSchema = z
  .object({
    kind: z.enum(['embedded', 'kafka']).default('embedded'),
    kafka: z
      .object({
        brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).default([]),
        client_id: z.string().default('gatehouse'),
        topic_prefix: z.string().regex(/^[A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-"').default('gatehouse.'),
        /** Partitions of the invocations and audit topics when Gatehouse creates them: the most DLP workers or ingesters that can share the work. */
        partitions: z.number().int().min(1).max(1000).default(6),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const StoreSectionSchema = z
  .object({
    /** Data directory of the embedded ClickHouse engine (chDB), used when no URL is set. */
    chdb_path: z.string().default('./data/chdb'),
    /** A ClickHouse server's HTTP(S) endpoint; when set, chDB is not used. */
    clickhouse_url: z.url({ protocol: /^https?$/ }).optional(),
    username: z.string().default('default'),
    password: EnvRefSchema.optional(),
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('default'),
  })
  .strict();

const AuditCheckpointsSchema = z
  .object({
    /** A checkpoint once this many rows of a partition are unsigned… */
    every_events: z.number().int().min(1).max(1_000_000).default(1_000),
    /** …or once the oldest unsigned row has waited this long. */
    interval_seconds: z.number().int().min(1).max(86_400).default(60),
    /** Ed25519 private key (PKCS#8 PEM). Default: with chDB, audit-signing-key.pem beside the store, created on first start. */
    signing_key: SecretRefSchema.optional(),
    /** A directory receiving a JSON copy of every checkpoint. Default: with chDB, checkpoints/ beside the store. */
    directory: z.string().min(1).optional(),
  })
  .strict();

const AuditSectionSchema = z
  .object({
    /** What of a checked payload the audit trail keeps: nothing, the redacted copy, or everything (raw values!). */
    payload_capture: z.enum(['none', 'redacted', 'full']).default('redacted'),
    /** Days ClickHouse keeps audit rows (TTL); PCI DSS 10.5.1 asks for at least a year. */
    retention_days: z.number().int().min(365, 'keep audit logs for at least 365 days (PCI DSS 10.5.1)').max(36_500).default(365),
    checkpoints: AuditCheckpointsSchema.prefault({}),
    /** Where audit-topic records that are not valid events go. Default: <audit topic>.dead-letter. */
    dead_letter_topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'use letters, digits, ".", "_" and "-"').optional(),
    /** Groups whose members may use the read-only audit query API (/audit/queries). */
    query_api_groups: z.array(z.string().min(1)).default(['compliance']),
  })
  .strict();

export const GatehouseConfigSchema = z
  .object({
    gateway: GatewaySectionSchema.prefault({}),
    bus: BusSectionSchema.prefault({}),
    store: StoreSectionSchema.prefault({}),
    audit: AuditSectionSchema.prefault({}),
    identity: IdentityConfigSchema.prefault({}),
    tokens: z.array(TokenConfigSchema).default([]),
    portals: z.array(PortalConfigSchema).min(1, 'declare at least one portal'),
    dlp: DlpConfigSchema.prefault({}),
    export: ExportSectionSchema.prefault({}),
    observability: ObservabilitySectionSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.portals.forEach((portal, index) => {
      if (names.has(portal.name)) ctx.addIssue({ code: 'custom', path: ['portals', index, 'name'], message: `portal name "${portal.name}" is used twice` });
      names.add(portal.name);
      if (portal.authentication === 'none' && !isLoopbackHost(config.gateway.host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['portals', index, 'authentication'],
          message: `a portal without authentication is served only on a loopback address, but gateway.host is "${config.gateway.host}"; set gateway.host to 127.0.0.1 (or ::1), or require authentication`,
        });
      }
      if (!(portal.dlp_profile in config.dlp.profiles)) {
        ctx.addIssue({
          code: 'custom',
          path: ['portals', index, 'dlp_profile'],
          message: `no DLP profile "${portal.dlp_profile}"; define it under dlp.profiles or use one of: ${Object.keys(config.dlp.profiles).join(', ')}`,
        });
      }
    });
    config.dlp.policies.forEach((policy, index) => {
      const portal = policy.portal === undefined ? undefined : config.portals.find((candidate) => candidate.name === policy.portal);
      if (policy.portal !== undefined && !portal) {
        ctx.addIssue({ code: 'custom', path: ['dlp', 'policies', index, 'portal'], message: `no portal "${policy.portal}"; use one of: ${[...names].join(', ')}` });
        return;
      }
      const servers = (portal ? [portal] : config.portals).flatMap((candidate) => candidate.servers.map((server) => server.name));
      if (policy.server !== undefined && !servers.includes(policy.server)) {
        ctx.addIssue({ code: 'custom', path: ['dlp', 'policies', index, 'server'], message: `no server "${policy.server}"${portal ? ` in portal "${portal.name}"` : ''}; use one of: ${[...new Set(servers)].join(', ')}` });
      }
    });
  });

export type GatehouseConfig = z.infer<typeof GatehouseConfigSchema>;
