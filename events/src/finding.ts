import { z } from 'zod';

/**
 * One DLP finding. It locates the value (JSON path and offsets within that string) and never
 * carries it: findings travel to the audit trail, logs and clients.
 */
export const FindingSchema = z.object({
  detector: z.string(),
  type: z.string(),
  path: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  confidence: z.number().min(0).max(1),
  action: z.enum(['block', 'redact', 'audit']),
  /** HMAC-SHA256 of the (normalized) value under the deployment's DLP key, hex: correlates equal values without revealing them. */
  hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
