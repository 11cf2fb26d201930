import type { Logger } from 'pino';
import {
  contextOf,
  createEvent,
  type Bus,
  type Clock,
  type DeliveredEvent,
  type EventOf,
  type Subscription,
  type Topics,
} from '../../events/src/index.ts';
import type { Verdict } from './decide-verdict.ts';
import type { DlpConfig } from './dlp-config.ts';
import { createDlpEngine, type DlpEngine } from './dlp-engine.ts';
import { DlpError } from './errors.ts';
import { selectProfile } from './policy.ts';
import type { CompiledProfile } from './profile.ts';
import { redactPayload } from './redact-payload.ts';

export type PayloadCapture = EventOf<'dlp.verdict'>['body']['payload_capture'];

export const DEFAULT_DLP_WORKER_GROUP = 'gatehouse-dlp-worker';

export interface DlpWorkerOptions {
  bus: Bus;
  topics: Pick<Topics, 'invocations' | 'audit'>;
  dlp: DlpConfig;
  /** How much of a payload the audit trail keeps: nothing, the sanitized copy, or the raw payload. */
  payloadCapture: PayloadCapture;
  clock: Clock;
  logger: Logger;
  /** Consumer group; workers sharing it split the invocations between them. */
  group?: string;
  /** The resolved `dlp.hash_key` (the CLI reads the variable it names); see DlpEngineOptions. */
  hashKey?: string;
  /** A prebuilt engine for this config (tests share one); built from `dlp` and `hashKey` when omitted. */
  engine?: DlpEngine;
}

export interface DlpWorker {
  start(): Promise<void>;
  /** Stops taking invocations and waits for the batch in flight to be answered. */
  stop(): Promise<void>;
}

type Invocation = EventOf<'invocation.requested'>;

/**
 * Answers each `invocation.requested` on the invocation's reply topic with a `verdict.decided`,
 * and records a `dlp.verdict` on the audit topic. Other event types are ignored.
 */
export function createDlpWorker(options: DlpWorkerOptions): DlpWorker {
  const { bus, topics, dlp, payloadCapture, clock } = options;
  const engine = options.engine ?? createDlpEngine({ dlp, ...(options.hashKey === undefined ? {} : { hashKey: options.hashKey }) });
  const group = options.group ?? DEFAULT_DLP_WORKER_GROUP;
  const logger = options.logger.child({ component: 'dlp-worker' });
  if (!engine.hasher.stable) {
    logger.warn('dlp.hash_key is not set: finding hashes use a key that lives only as long as this process and cannot be correlated across workers');
  }
  let subscription: Subscription | undefined;

  async function answer(invocation: Invocation): Promise<void> {
    const { correlation_id, direction, reply_to, payload } = invocation.body;
    const { portal, server, tool } = invocation;
    const profileName = selectProfile(dlp.policies, { portal, server, tool, direction, profile: invocation.body.profile });
    const started = clock.now();
    const verdict = engine.decide(payload, profileName);
    const scanMs = Math.max(0, clock.now() - started);

    const context = contextOf(invocation);
    const common = { correlation_id, direction, decision: verdict.decision, profile: profileName, findings: verdict.findings };
    const reply = createEvent(
      'verdict.decided',
      context,
      { ...common, reason: verdict.reason, ...(verdict.payload === undefined ? {} : { payload: verdict.payload }) },
      clock,
    );
    const captured = capturedPayload(payload, verdict, engine.profile(profileName));
    const audit = createEvent(
      'dlp.verdict',
      context,
      { ...common, payload_capture: payloadCapture, scan_ms: scanMs, ...(captured === undefined ? {} : { payload: captured }) },
      clock,
    );

    await Promise.all([bus.publish(reply_to, reply), bus.publish(topics.audit, audit)]);
    logger.info(
      {
        trace_id: invocation.trace_id,
        correlation_id,
        profile: profileName,
        decision: verdict.decision,
        detectors: [...new Set(verdict.findings.map((f) => f.detector))],
        scan_ms: scanMs,
      },
      'dlp verdict decided',
    );
  }

  /** What the audit trail may keep of the payload under the configured capture mode. */
  function capturedPayload(payload: unknown, verdict: Verdict, profile: CompiledProfile | undefined): unknown {
    if (payloadCapture === 'full') return payload;
    if (payloadCapture === 'none' || verdict.decision === 'block' || profile === undefined) return undefined;
    // Allowed unscanned (oversize: allow): nothing says what it holds, so nothing of it is kept.
    if (verdict.unscanned) return undefined;
    try {
      return redactPayload(payload, verdict.findings, { style: profile.redaction, maskKeep: engine.maskKeep, actions: ['block', 'redact', 'audit'] });
    } catch {
      return undefined;
    }
  }

  async function handleBatch(batch: DeliveredEvent[]): Promise<void> {
    const results = await Promise.allSettled(
      batch.map(({ event }) => (event.type === 'invocation.requested' ? answer(event) : Promise.resolve())),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    if (failed.length > 0) {
      logger.warn(
        { failed: failed.length, batch: batch.length, error: String(failed[0]!.reason) },
        'publishing dlp verdicts failed; the batch will be redelivered',
      );
      throw failed[0]!.reason;
    }
  }

  return {
    async start() {
      if (subscription) throw new DlpError('GH_ERR_DLP_WORKER_ALREADY_STARTED', 'the dlp worker is already started; call stop() first');
      subscription = await bus.subscribe({ topic: topics.invocations, group }, handleBatch);
      logger.info({ topic: topics.invocations, group }, 'dlp worker started');
    },
    async stop() {
      const running = subscription;
      subscription = undefined;
      await running?.stop();
    },
  };
}
