import { z } from 'zod';

/** A secret taken from the environment, so config files can be reviewed in Git without leaking it. */
export const EnvRefSchema = z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict();
export type EnvRef = z.infer<typeof EnvRefSchema>;

/** A secret read from a file (a mounted Kubernetes secret, say); trailing newlines are dropped. */
export const FileRefSchema = z.object({ file: z.string().min(1) }).strict();
export type FileRef = z.infer<typeof FileRefSchema>;

export const SecretRefSchema = z.union([EnvRefSchema, FileRefSchema]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

const NameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" and "_" (at most 63 characters)');

/**
 * Who may use a portal, a server or a tool: anyone in one of the groups, with one of the emails,
 * or with an email in one of the domains. Absent: every authenticated caller.
 */
export const AccessRuleSchema = z
  .object({
    groups: z.array(z.string().min(1)).default([]),
    emails: z.array(z.email()).default([]),
    email_domains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain such as example.com')).default([]),
  })
  .strict()
  .refine((rule) => rule.groups.length + rule.emails.length + rule.email_domains.length > 0, {
    message: 'an access rule needs at least one of groups, emails, email_domains (leave it out to allow every caller)',
  });
export type AccessRule = z.infer<typeof AccessRuleSchema>;

const ToolNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1-64 of A-Z a-z 0-9 _ . -');

/** Per-tool (or per-prompt) settings, keyed by the upstream's own name. */
const ItemRuleSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The name clients see instead of the upstream's (still prefixed with the server name). */
    alias: ToolNameSchema.optional(),
    /** Replaces the upstream's description. */
    description: z.string().min(1).optional(),
    access: AccessRuleSchema.optional(),
  })
  .strict();

/**
 * Which of a server's tools (or prompts) are offered. `allow_list` offers only those named in
 * `allow`; `read_only` offers only tools annotated readOnlyHint, plus those named in `allow`.
 */
export const ItemPolicySchema = z
  .object({
    mode: z.enum(['all', 'allow_list']).default('all'),
    read_only: z.boolean().default(false),
    allow: z.array(z.string().min(1)).default([]),
    rules: z.record(z.string().min(1), ItemRuleSchema).default({}),
  })
  .strict();
export type ItemPolicy = z.infer<typeof ItemPolicySchema>;

const serverPolicyFields = {
  access: AccessRuleSchema.optional(),
  tools: ItemPolicySchema.prefault({}),
  prompts: ItemPolicySchema.prefault({}),
};

const StdioServerSchema = z
  .object({
    name: NameSchema,
    transport: z.literal('stdio'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    /** Variables for the child; values are literals, `{ env: NAME }` from the gateway's environment, or `{ file: PATH }`. */
    env: z.record(z.string(), z.union([z.string(), SecretRefSchema])).default({}),
    cwd: z.string().optional(),
    ...serverPolicyFields,
  })
  .strict();

const HttpServerSchema = z
  .object({
    name: NameSchema,
    transport: z.literal('streamable-http'),
    url: z.url({ protocol: /^https?$/ }),
    /** Sent on every upstream request, never shown to users; values usually `{ env: NAME }` or `{ file: PATH }`. */
    headers: z.record(z.string(), z.union([z.string(), SecretRefSchema])).default({}),
    /** Shorthand for an `Authorization: Bearer <token>` header. */
    bearer_token: SecretRefSchema.optional(),
    ...serverPolicyFields,
  })
  .strict();

export const ServerConfigSchema = z.discriminatedUnion('transport', [StdioServerSchema, HttpServerSchema]);
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

export const PortalConfigSchema = z
  .object({
    name: NameSchema,
    /**
     * `none` serves the portal without a token, to clients on this machine only: the gateway
     * refuses it unless it listens on a loopback address, and audits its callers as
     * UNAUTHENTICATED_PRINCIPAL. Meant for local tools and the MCP conformance suite.
     */
    authentication: z.enum(['required', 'none']).default('required'),
    access: AccessRuleSchema.optional(),
    /** DLP profile that checks this portal's tool arguments and results. */
    dlp_profile: z.string().default('default'),
    /** Tools appear as `<server><separator><tool>`; a portal with one server may turn the prefix off. */
    tool_prefix: z.boolean().default(true),
    tool_separator: z.string().regex(/^[A-Za-z0-9_.-]{1,4}$/, 'use 1-4 of A-Z a-z 0-9 _ . -').default('__'),
    servers: z.array(ServerConfigSchema).min(1, 'a portal needs at least one server'),
  })
  .strict()
  .superRefine((portal, ctx) => {
    const seen = new Set<string>();
    portal.servers.forEach((server, index) => {
      if (seen.has(server.name)) {
        ctx.addIssue({ code: 'custom', path: ['servers', index, 'name'], message: `server name "${server.name}" is used twice in this portal` });
      }
      seen.add(server.name);
    });
    if (portal.authentication === 'none' && portal.access) {
      ctx.addIssue({ code: 'custom', path: ['access'], message: 'a portal with authentication: none has no identities to check; remove access or require authentication' });
    }
    if (!portal.tool_prefix && portal.servers.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['tool_prefix'],
        message: 'tool_prefix can be false only for a portal with one server; with several, tool names could collide',
      });
    }
  });
export type PortalConfig = z.infer<typeof PortalConfigSchema>;

/** A static bearer token for a user or service; the token itself comes from the environment or as a SHA-256 digest. */
export const TokenConfigSchema = z
  .object({
    token: z.union([EnvRefSchema, z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits') }).strict()]),
    subject: z.string().min(1),
    email: z.string().default(''),
    groups: z.array(z.string()).default([]),
  })
  .strict();
export type TokenConfig = z.infer<typeof TokenConfigSchema>;
