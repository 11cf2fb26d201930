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
import { builtInTextScanner } from './built-in-scanner.ts';
import { decideVerdict, type Verdict } from './decide-verdict.ts';
import { DlpError } from './errors.ts';
import { resolveProfile, type DlpConfig, type NamedDlpProfile } from './profile.ts';
import { redactPayload } from './redact-payload.ts';
import type { TextScanner } from './text-scanner.ts';

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
  /** Defaults to the built-in detectors. */
  scanner?: TextScanner;
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
  const scanner = options.scanner ?? builtInTextScanner();
  const group = options.group ?? DEFAULT_DLP_WORKER_GROUP;
  const logger = options.logger.child({ component: 'dlp-worker' });
  let subscription: Subscription | undefined;

  async function answer(invocation: Invocation): Promise<void> {
    const { correlation_id, direction, reply_to, profile: profileName, payload } = invocation.body;
    const started = clock.now();
    const profile = resolveProfile(dlp, profileName);
    const verdict = profile ? decideVerdict(payload, profile, scanner) : unknownProfileVerdict(profileName, dlp);
    const scanMs = Math.max(0, clock.now() - started);

    const context = contextOf(invocation);
    const common = { correlation_id, direction, decision: verdict.decision, profile: profileName, findings: verdict.findings };
    const reply = createEvent(
      'verdict.decided',
      context,
      { ...common, reason: verdict.reason, ...(verdict.payload === undefined ? {} : { payload: verdict.payload }) },
      clock,
    );
    const captured = capturedPayload(payload, verdict, profile);
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
  function capturedPayload(payload: unknown, verdict: Verdict, profile: NamedDlpProfile | undefined): unknown {
    if (payloadCapture === 'full') return payload;
    if (payloadCapture === 'none' || verdict.decision === 'block' || profile === undefined) return undefined;
    try {
      return redactPayload(payload, verdict.findings, { style: profile.redaction, actions: ['block', 'redact', 'audit'] });
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

/** Fail closed: an invocation naming a profile the config lacks is blocked, never scanned with another. */
function unknownProfileVerdict(name: string, dlp: DlpConfig): Verdict {
  const known = Object.keys(dlp.profiles).sort().join(', ');
  return {
    decision: 'block',
    findings: [],
    reason: `dlp profile ${JSON.stringify(name)} is not configured; known profiles: ${known}`,
  };
}
