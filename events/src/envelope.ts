import { z } from 'zod';

/** Who made a call, as the gateway authenticated them. */
export const PrincipalSchema = z.object({
  subject: z.string(),
  email: z.string().default(''),
  groups: z.array(z.string()).default([]),
});
export type Principal = z.infer<typeof PrincipalSchema>;

export const ANONYMOUS: Principal = { subject: 'anonymous', email: '', groups: [] };

/**
 * The caller of a portal served without authentication (loopback only). Its subject cannot come
 * from a token: every authenticator rejects subjects in the `gatehouse:` namespace.
 */
export const UNAUTHENTICATED_PRINCIPAL: Principal = { subject: 'gatehouse:unauthenticated', email: '', groups: [] };

/**
 * Fields every event carries, whatever its type. Types add a `body`; see events.ts.
 * `portal`, `server` and `tool` are empty strings when an event is not about one.
 */
export const envelopeFields = {
  id: z.uuid(),
  version: z.literal(1),
  time: z.iso.datetime({ offset: true }),
  trace_id: z.string().min(1),
  /**
   * The OpenTelemetry span that published the event (16 hex digits), so a consumer's span joins
   * the same trace as a child. Present only while tracing samples the call.
   */
  span_id: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  gateway: z.string(),
  principal: PrincipalSchema,
  portal: z.string().default(''),
  server: z.string().default(''),
  tool: z.string().default(''),
};
