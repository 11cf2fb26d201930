import { z } from 'zod';

/** A secret taken from the environment, so config files can be reviewed in Git without leaking it. */
export const EnvRefSchema = z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict();
export type EnvRef = z.infer<typeof EnvRefSchema>;

const NameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "-" and "_" (at most 63 characters)');

const StdioServerSchema = z
  .object({
    name: NameSchema,
    transport: z.literal('stdio'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    /** Variables for the child; values are literals or `{ env: NAME }` read from the gateway's environment. */
    env: z.record(z.string(), z.union([z.string(), EnvRefSchema])).default({}),
    cwd: z.string().optional(),
  })
  .strict();

const HttpServerSchema = z
  .object({
    name: NameSchema,
    transport: z.literal('streamable-http'),
    url: z.url({ protocol: /^https?$/ }),
    /** Sent on every upstream request, never shown to users; values usually `{ env: NAME }`. */
    headers: z.record(z.string(), z.union([z.string(), EnvRefSchema])).default({}),
  })
  .strict();

export const ServerConfigSchema = z.discriminatedUnion('transport', [StdioServerSchema, HttpServerSchema]);
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

export const PortalConfigSchema = z
  .object({
    name: NameSchema,
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
