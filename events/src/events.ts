import { z } from 'zod';
import { envelopeFields } from './envelope.ts';
import { FindingSchema } from './finding.ts';

/** Which way a payload travels: the client's tool arguments, or the upstream's result. */
export const DirectionSchema = z.enum(['arguments', 'result']);
export type Direction = z.infer<typeof DirectionSchema>;

export const DecisionSchema = z.enum(['allow', 'block', 'redact']);
export type Decision = z.infer<typeof DecisionSchema>;

/** invocations topic: a payload the gateway holds until a DLP worker answers on `reply_to`. */
export const InvocationRequestedSchema = z.object({
  ...envelopeFields,
  type: z.literal('invocation.requested'),
  body: z.object({
    correlation_id: z.string().min(1),
    direction: DirectionSchema,
    reply_to: z.string().min(1),
    profile: z.string().min(1),
    payload: z.unknown(),
  }),
});

/** reply topic: the DLP worker's answer. `payload` is what may travel on: unchanged, redacted, or absent when blocked. */
export const VerdictDecidedSchema = z.object({
  ...envelopeFields,
  type: z.literal('verdict.decided'),
  body: z.object({
    correlation_id: z.string().min(1),
    direction: DirectionSchema,
    decision: DecisionSchema,
    profile: z.string(),
    findings: z.array(FindingSchema),
    payload: z.unknown().optional(),
    reason: z.string().default(''),
  }),
});

/** audit: a tools/call reached the gateway and was accepted for checking. */
export const ToolCallReceivedSchema = z.object({
  ...envelopeFields,
  type: z.literal('tool.call.received'),
  body: z.object({
    correlation_id: z.string().min(1),
    arguments_bytes: z.number().int().nonnegative(),
  }),
});

/** audit: a DLP verdict, with the payload captured as the deployment's capture mode allows. */
export const DlpVerdictSchema = z.object({
  ...envelopeFields,
  type: z.literal('dlp.verdict'),
  body: z.object({
    correlation_id: z.string().min(1),
    direction: DirectionSchema,
    decision: DecisionSchema,
    profile: z.string(),
    findings: z.array(FindingSchema),
    payload_capture: z.enum(['none', 'redacted', 'full']),
    payload: z.unknown().optional(),
    scan_ms: z.number().nonnegative(),
  }),
});

export const OutcomeSchema = z.enum(['allowed', 'redacted', 'blocked', 'refused', 'upstream_error']);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** audit: how a tools/call ended for the client. */
export const ToolCallCompletedSchema = z.object({
  ...envelopeFields,
  type: z.literal('tool.call.completed'),
  body: z.object({
    correlation_id: z.string().min(1),
    outcome: OutcomeSchema,
    /** Which check decided the outcome, e.g. `verdict_timeout` or `dlp:default`; never a sensitive value. */
    reason: z.string().default(''),
    latency_ms: z.number().nonnegative(),
  }),
});

/** audit: a request refused before any tool ran (bad token, unknown tool). */
export const AccessDeniedSchema = z.object({
  ...envelopeFields,
  type: z.literal('access.denied'),
  body: z.object({
    reason: z.enum(['missing_token', 'invalid_token', 'unknown_tool']),
    detail: z.string().default(''),
  }),
});

export const EventSchema = z.discriminatedUnion('type', [
  InvocationRequestedSchema,
  VerdictDecidedSchema,
  ToolCallReceivedSchema,
  DlpVerdictSchema,
  ToolCallCompletedSchema,
  AccessDeniedSchema,
]);
export type Event = z.infer<typeof EventSchema>;
export type EventType = Event['type'];
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;
