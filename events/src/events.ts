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

/**
 * The MCP request a checked exchange served. Sampling and elicitation are requests an upstream
 * sends its client during a call: their data flows to the client first, the answer back upstream.
 */
export const OperationSchema = z.enum([
  'tools/call',
  'prompts/get',
  'resources/read',
  'completion/complete',
  'sampling/createMessage',
  'elicitation/create',
  'notifications/message',
]);

/** audit: a tools/call (or prompts/get, resources/read) reached the gateway and was accepted for checking. */
export const ToolCallReceivedSchema = z.object({
  ...envelopeFields,
  type: z.literal('tool.call.received'),
  body: z.object({
    correlation_id: z.string().min(1),
    /**
     * tools/call when absent. The envelope's `tool` names the target: the prompt, the resource URI,
     * the prompt or resource template completed, or for sampling and elicitation the method.
     */
    operation: OperationSchema.optional(),
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
    operation: OperationSchema.optional(),
    outcome: OutcomeSchema,
    /** Which check decided the outcome, e.g. `verdict_timeout` or `dlp:default`; never a sensitive value. */
    reason: z.string().default(''),
    latency_ms: z.number().nonnegative(),
  }),
});

/** Why the gateway refused a request before any tool ran. */
export const DenialReasonSchema = z.enum([
  'missing_token',
  'invalid_token',
  'expired_token',
  'wrong_audience',
  'wrong_issuer',
  'revoked_key',
  'insufficient_scope',
  'portal_denied',
  'unknown_tool',
  /** DNS-rebinding protection: a Host or Origin the gateway is not known by. */
  'host_not_allowed',
]);
export type DenialReason = z.infer<typeof DenialReasonSchema>;

/** audit: a request refused before any tool ran (bad token, no access to the portal, a hidden or unknown tool). */
export const AccessDeniedSchema = z.object({
  ...envelopeFields,
  type: z.literal('access.denied'),
  body: z.object({
    reason: DenialReasonSchema,
    detail: z.string().default(''),
    /** The config rule that decided, as its path in gatehouse.yaml (e.g. `portals[0].servers[1].access`); absent for token failures. */
    rule: z.string().optional(),
  }),
});

/** audit: a principal authenticated to the gateway for the first time in this gateway's lifetime (or since the window expired). */
export const SignedInSchema = z.object({
  ...envelopeFields,
  type: z.literal('auth.signed_in'),
  body: z.object({
    method: z.enum(['static_token', 'oidc', 'api_key']),
  }),
});

/** audit: a new gatehouse.yaml took effect (or was rejected and the running one kept). */
export const ConfigChangedSchema = z.object({
  ...envelopeFields,
  type: z.literal('config.changed'),
  body: z.object({
    file: z.string(),
    sha256: z.string(),
    applied: z.boolean(),
    /** Paths that changed (`portals[demo].servers[crm].tools`), or why the file was rejected. */
    changes: z.array(z.string()),
  }),
});

/** audit: an upstream changed a tool's definition after it was approved (tool pinning). */
export const ToolDefinitionChangedSchema = z.object({
  ...envelopeFields,
  type: z.literal('tool.definition.changed'),
  body: z.object({
    approved_fingerprint: z.string(),
    new_fingerprint: z.string(),
    /** What differs, e.g. `description changed`, `input property "to" added`. */
    summary: z.array(z.string()),
    /** withheld: hidden until approved; allowed: offered anyway per config. */
    action: z.enum(['withheld', 'allowed']),
  }),
});

export const EventSchema = z.discriminatedUnion('type', [
  InvocationRequestedSchema,
  VerdictDecidedSchema,
  ToolCallReceivedSchema,
  DlpVerdictSchema,
  ToolCallCompletedSchema,
  AccessDeniedSchema,
  SignedInSchema,
  ConfigChangedSchema,
  ToolDefinitionChangedSchema,
]);
export type Event = z.infer<typeof EventSchema>;
export type EventType = Event['type'];
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;
