import { randomBytes, randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  createEvent,
  type Bus,
  type Clock,
  type Direction,
  type EventContext,
  type Outcome,
  type Principal,
  type Topics,
  type OperationSchema,
} from '../../events/src/index.ts';
import { recordedSpanId, remoteParent, tracingOff, validTraceId, type Metrics, type Tracing } from '../../events/src/observability/index.ts';
import { isInputRequiredResult } from '@modelcontextprotocol/server';
import { relayedRpcError } from './relayed-rpc-errors.ts';
import { UPSTREAM_ERROR_CODES, UpstreamError, type InputRound } from './upstream/index.ts';
import { VerdictTimeoutError, type Verdict, type VerdictClient } from './verdict-client.ts';

export interface CheckedExchangeOptions {
  bus: Bus;
  topics: Topics;
  verdicts: VerdictClient;
  instanceId: string;
  clock: Clock;
  logger: Logger;
  upstreamTimeoutMs: number;
  metrics?: Metrics;
  tracing?: Tracing;
}

/** What one checked exchange does; the audit trail names `operation` and `target`. */
export type Operation = z.infer<typeof OperationSchema>;

/** Requests an upstream sends toward the client: what they carry is checked as a result, the client's answer as arguments. */
const TOWARD_CLIENT: ReadonlySet<Operation> = new Set(['sampling/createMessage', 'elicitation/create', 'notifications/message']);
/**
 * Notifications toward the client: checked on the way out, with no answer to check. They are not
 * calls, so they get no `tool.call.*` records (which compliance counts as calls): the DLP worker's
 * `dlp.verdict` event is their audit record.
 */
const ONE_WAY: ReadonlySet<Operation> = new Set(['notifications/message']);

export interface CheckedRequest<R> {
  principal: Principal;
  portal: string;
  profile: string;
  server: string;
  operation: Operation;
  /** The tool or prompt as the upstream names it, or the resource URI. */
  target: string;
  /** Sent on (upstream, or to the client for sampling and elicitation) after the DLP allowed or redacted them. */
  arguments: Record<string, unknown>;
  /** A retry after the upstream asked for input: the client's answers pass the DLP with the arguments. */
  input?: InputRound;
  traceId?: string;
  /** The caller's span (from `traceparent`), which the exchange's span continues. */
  parentSpanId?: string;
  /** Performs the exchange with the checked arguments (and checked answers of a retried input round). */
  run(forwarded: Record<string, unknown>, input?: InputRound): Promise<R>;
  /** The redacted result a verdict carries, checked to still have the result's shape. */
  asResult(payload: unknown): R | undefined;
}

/** How an exchange ended: its (possibly redacted) result, or a refusal the client is told in words. */
export type CheckedOutcome<R> = { ok: true; result: R } | { ok: false; message: string };

/** Ends a call early with a tool error the client shows to its user; the reason names a policy, never a value. */
class CallStopped extends Error {
  readonly outcome: Outcome;
  readonly reason: string;
  /** Set when the client must get a JSON-RPC error it can act on instead of the refusal in words. */
  readonly toClient: Error | undefined;
  constructor(outcome: Outcome, reason: string, message: string, toClient?: Error) {
    super(message);
    this.outcome = outcome;
    this.reason = reason;
    this.toClient = toClient;
  }
}

const VERBS: Record<Operation, string> = {
  'tools/call': 'run',
  'prompts/get': 'give the prompt',
  'resources/read': 'read',
  'completion/complete': 'complete',
  'sampling/createMessage': 'answer',
  'elicitation/create': 'answer',
  'notifications/message': 'pass on',
};

const WHAT: Record<Operation, Record<Direction, string>> = {
  'tools/call': { arguments: 'the tool arguments', result: 'the tool result' },
  'prompts/get': { arguments: 'the prompt arguments', result: 'the prompt' },
  'resources/read': { arguments: 'the resource request', result: 'the resource' },
  'completion/complete': { arguments: 'the completion request', result: 'the completions' },
  'sampling/createMessage': { arguments: "the client's sampling answer", result: 'the sampling request' },
  'elicitation/create': { arguments: "the user's answer", result: 'the elicitation request' },
  'notifications/message': { arguments: 'nothing', result: 'the log message' },
};

/**
 * One exchange with an upstream through the gateway (a tool call, a prompt, a resource read):
 * audit that it arrived, get a verdict on the arguments, forward the allowed or redacted
 * arguments, get a verdict on the result, return the allowed or redacted result, audit the
 * outcome. Any missing verdict refuses the exchange (fail closed). An upstream error about the
 * client's request itself (see relayedRpcError) is thrown, audited, as the client's JSON-RPC error.
 */
export function createCheckedExchange(options: CheckedExchangeOptions) {
  const { bus, topics, verdicts, instanceId, clock, logger, upstreamTimeoutMs, metrics } = options;
  const { tracer } = options.tracing ?? tracingOff();
  const childOf = (span: Span, name: string) => tracer.startSpan(name, { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, span));

  async function check(context: EventContext, operation: Operation, callSpan: Span, correlationId: string, direction: Direction, profile: string, payload: unknown): Promise<Verdict> {
    const span = childOf(callSpan, `dlp verdict ${direction}`);
    const spanId = recordedSpanId(span);
    const started = clock.now();
    const observe = (decision: string) => {
      metrics?.verdicts.inc({ direction, decision });
      metrics?.verdictSeconds.observe({ direction, decision }, (clock.now() - started) / 1000);
      span.setAttribute('gatehouse.decision', decision);
      span.end();
    };
    let verdict: Verdict;
    try {
      verdict = await verdicts.requestVerdict(spanId ? { ...context, span_id: spanId } : context, { correlationId: `${correlationId}:${direction}`, direction, profile, payload });
      observe(verdict.decision);
    } catch (error) {
      const timedOut = error instanceof VerdictTimeoutError;
      observe(timedOut ? 'timeout' : 'unavailable');
      if (!timedOut) logger.error({ err: error, trace_id: context.trace_id }, 'verdict request failed');
      const reason = timedOut ? 'verdict_timeout' : 'verdict_unavailable';
      const why = timedOut ? (error as Error).message : 'the DLP service could not be reached';
      throw new CallStopped('refused', reason, `Gatehouse refused this call: ${why}, and calls are not forwarded unchecked (fail-closed). Try again shortly; if it persists, ask your administrator to check the DLP workers.`);
    }
    if (verdict.decision === 'block') {
      throw new CallStopped('blocked', verdict.reason, `Gatehouse blocked this call: sensitive data in ${WHAT[operation][direction]} (${verdict.reason}). Remove it and try again.`);
    }
    return verdict;
  }

  return async function exchange<R>(request: CheckedRequest<R>): Promise<CheckedOutcome<R>> {
    const { principal, portal, profile, server, operation, target } = request;
    const started = clock.now();
    const callId = randomUUID();
    const callSpan = tracer.startSpan(
      `${operation} ${target}`,
      { kind: SpanKind.SERVER, attributes: { 'mcp.method.name': operation, ...(operation === 'tools/call' ? { 'gen_ai.tool.name': target } : {}), 'gatehouse.portal': portal, 'gatehouse.server': server } },
      remoteParent(request.traceId, request.parentSpanId),
    );
    const callSpanId = recordedSpanId(callSpan);
    const context: EventContext = {
      // Recorded or continuing a caller's trace, the span's trace id; otherwise the caller's, or a new one.
      trace_id: validTraceId(callSpan) ?? request.traceId ?? randomBytes(16).toString('hex'),
      ...(callSpanId ? { span_id: callSpanId } : {}),
      gateway: instanceId,
      principal,
      portal,
      server,
      tool: target,
    };
    const isCall = !ONE_WAY.has(operation);
    const complete = async (outcome: Outcome, reason: string) => {
      callSpan.setAttribute('gatehouse.outcome', outcome);
      if (outcome === 'refused' || outcome === 'upstream_error') callSpan.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      if (!isCall) return;
      // Resource URIs would make a series each; reads are counted under the method instead.
      metrics?.toolCalls.inc({ portal, server, tool: operation === 'resources/read' ? operation : target, outcome });
      metrics?.toolCallSeconds.observe({ portal, outcome }, (clock.now() - started) / 1000);
      await bus.publish(
        topics.audit,
        createEvent('tool.call.completed', context, { correlation_id: callId, operation, outcome, reason, latency_ms: clock.now() - started }, clock),
      );
    };

    const answers = request.input?.inputResponses;
    const outbound = answers === undefined ? request.arguments : { arguments: request.arguments, inputResponses: answers };
    // The arguments are checked while the call's record is written; nothing is forwarded before
    // both are done, so the audit trail never misses a call that ran.
    const recorded = !isCall
      ? Promise.resolve()
      : bus
          .publish(
            topics.audit,
            createEvent('tool.call.received', context, { correlation_id: callId, operation, arguments_bytes: Buffer.byteLength(JSON.stringify(outbound)) }, clock),
          )
          .catch((error: unknown) => {
            logger.error({ err: error, trace_id: context.trace_id }, 'could not record a tool call in the audit trail');
            throw new CallStopped('refused', 'audit_unavailable', 'Gatehouse refused this call: it could not be recorded in the audit trail, and unrecorded calls are not forwarded. Try again shortly.');
          });

    try {
      const [first, second]: [Direction, Direction] = TOWARD_CLIENT.has(operation) ? ['result', 'arguments'] : ['arguments', 'result'];
      const [argumentsVerdict] = await Promise.all([check(context, operation, callSpan, callId, first, profile, outbound), recorded]);
      const checkedOut = argumentsVerdict.decision === 'redact' ? asArguments(argumentsVerdict.payload) : outbound;
      const forwarded = answers === undefined ? checkedOut : asArguments(checkedOut['arguments']);
      const input = answers === undefined ? request.input : { ...request.input, inputResponses: asArguments(checkedOut['inputResponses']) };

      let result: R;
      const towardClient = TOWARD_CLIENT.has(operation);
      const upstreamSpan = childOf(callSpan, `${towardClient ? 'client' : 'upstream'} ${operation} ${target}`);
      try {
        result = await request.run(forwarded, input);
      } catch (error) {
        if (towardClient) {
          upstreamSpan.setStatus({ code: SpanStatusCode.ERROR, message: 'client_error' });
          throw new CallStopped('upstream_error', 'client_error', `The client did not answer ${operation} for the server "${server}".`);
        }
        const code = error instanceof UpstreamError ? error.code : 'GH_ERR_UPSTREAM_UNAVAILABLE';
        // Not the error itself: its cause and upstreamMessage carry the upstream's own text, which may echo the arguments.
        const detail = error instanceof UpstreamError ? error.message : error instanceof Error ? error.name : typeof error;
        logger.warn({ trace_id: context.trace_id, server, operation, code, detail }, 'upstream request failed');
        upstreamSpan.setStatus({ code: SpanStatusCode.ERROR, message: code });
        const message = `The upstream server "${server}" could not ${VERBS[operation]} "${target}" (${code}: ${UPSTREAM_ERROR_CODES[code]}).`;
        throw new CallStopped('upstream_error', code, message, relayedRpcError(error, input));
      } finally {
        upstreamSpan.end();
      }

      const resultVerdict = ONE_WAY.has(operation) ? undefined : await check(context, operation, callSpan, callId, second, profile, result);
      const returned = resultVerdict?.decision === 'redact' ? redactedResult(request, result, resultVerdict.payload) : result;
      if (returned === undefined) throw new CallStopped('refused', 'invalid_verdict', 'Gatehouse refused this call: the DLP verdict carried no usable result.');
      const redacted = argumentsVerdict.decision === 'redact' || resultVerdict?.decision === 'redact';
      await complete(redacted ? 'redacted' : 'allowed', redacted ? `dlp:${profile}` : isInputRequiredResult(returned) ? 'input_required' : '');
      return { ok: true, result: returned };
    } catch (error) {
      if (!(error instanceof CallStopped)) throw error;
      await complete(error.outcome, error.reason).catch((auditError: unknown) =>
        logger.error({ err: auditError, trace_id: context.trace_id }, 'could not audit the outcome of a refused call'),
      );
      if (error.toClient) throw error.toClient;
      return { ok: false, message: error.message };
    } finally {
      callSpan.end();
    }
  };
}

/** The redacted form of a result, of the same kind: an input-required answer stays one. */
function redactedResult<R>(request: CheckedRequest<R>, result: R, payload: unknown): R | undefined {
  if (!isInputRequiredResult(result)) return request.asResult(payload);
  return isInputRequiredResult(payload) ? (payload as R) : undefined;
}

function asArguments(payload: unknown): Record<string, unknown> {
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) return payload as Record<string, unknown>;
  throw new CallStopped('refused', 'invalid_verdict', 'Gatehouse refused this call: the DLP verdict carried no usable arguments.');
}

export type CheckedExchange = ReturnType<typeof createCheckedExchange>;
