import { z } from 'zod';
import { EnvRefSchema } from '../../../gateway/src/index.ts';

const ExportFormat = z.enum(['ocsf', 'cef', 'ecs', 'hec']);

/** `export:` — the continuous SIEM exporter (`gatehouse audit-export`); each receiver is optional. */
export const ExportSectionSchema = z
  .object({
    /** One cursor file per receiver (`syslog.cursor`, `http.cursor`, `kafka.cursor`); relative to the config file. */
    cursor_dir: z.string().min(1).default('./data/export-cursors'),
    /** Rows younger than this wait for the next poll, so an insert still running never ends up behind a cursor. */
    settle_ms: z.number().int().min(0).max(600_000).default(5_000),
    poll_interval_ms: z.number().int().min(10).max(600_000).default(1_000),
    /** Rows per delivery. */
    page_size: z.number().int().min(1).max(10_000).default(500),
    syslog: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535),
        format: ExportFormat.exclude(['hec']).default('cef'),
        /** RFC 5424 facility 0–23; 13 is "log audit". */
        facility: z.number().int().min(0).max(23).default(13),
      })
      .strict()
      .optional(),
    http: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        /** Sent as `Authorization: <auth_scheme> <token>`. */
        token: EnvRefSchema.optional(),
        auth_scheme: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/).default('Splunk'),
        format: ExportFormat.exclude(['cef']).default('hec'),
        sourcetype: z.string().min(1).default('gatehouse:ocsf'),
        /** Splunk index; the token's default index when absent. */
        index: z.string().min(1).optional(),
        timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
      })
      .strict()
      .optional(),
    kafka: z
      .object({
        /** Default `<bus.kafka.topic_prefix>audit.ocsf`. */
        topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'use letters, digits, ".", "_" and "-"').optional(),
        format: ExportFormat.exclude(['cef']).default('ocsf'),
        partitions: z.number().int().min(1).max(1000).default(3),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ExportSection = z.infer<typeof ExportSectionSchema>;
