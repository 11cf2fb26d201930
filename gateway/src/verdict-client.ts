import type { Logger } from 'pino';
import {
  createEvent,
  type Bus,
  type Clock,
  type Direction,
  type EventContext,
  type EventOf,
  type Subscription,
  type Topics,
} from '../../events/src/index.ts';

export type Verdict = EventOf<'verdict.decided'>['body'];

export interface VerdictRequest {
  /** Unique per request; the reply carries it back. */
  correlationId: string;
  direction: Direction;
  /** The DLP profile the worker applies. */
  profile: string;
  payload: unknown;
}

/** No verdict arrived in time; the call must be refused (fail closed). */
export class VerdictTimeoutError extends Error {
  readonly code = 'GH_ERR_VERDICT_TIMEOUT';
}

export interface VerdictClientOptions {
  bus: Bus;
  topics: Topics;
  /** This gateway instance; its reply topic carries only the verdicts it asked for. */
  instanceId: string;
  timeoutMs: number;
  clock: Clock;
  logger: Logger;
}

/**
 * Asks the DLP workers for a verdict over the bus and waits for the answer on this instance's own
 * reply topic, matched by correlation id. `start` resolves once replies can be received, so the
 * gateway takes no traffic before it could hear an answer.
 */
export function createVerdictClient(options: VerdictClientOptions) {
  const { bus, topics, instanceId, timeoutMs, clock, logger } = options;
  const replyTopic = topics.verdictsFor(instanceId);
  const pending = new Map<string, (verdict: Verdict) => void>();
  let subscription: Subscription | undefined;

  return {
    replyTopic,

    async start(): Promise<void> {
      await bus.ensureTopics([topics.invocations, topics.audit, replyTopic]);
      subscription = await bus.subscribe({ topic: replyTopic, group: `gatehouse-gateway-${instanceId}` }, async (batch) => {
        for (const { event } of batch) {
          if (event.type !== 'verdict.decided') continue;
          const resolve = pending.get(event.body.correlation_id);
          if (resolve) resolve(event.body);
          else logger.debug({ correlation_id: event.body.correlation_id }, 'verdict for a call no longer waiting');
        }
      });
    },

    /** Publishes the payload for checking and resolves with the verdict, or rejects with VerdictTimeoutError. */
    async requestVerdict(context: EventContext, request: VerdictRequest): Promise<Verdict> {
      const { correlationId, direction, profile, payload } = request;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new VerdictTimeoutError(`no DLP verdict within ${timeoutMs} ms`)), timeoutMs);
      });
      const answered = new Promise<Verdict>((resolve) => pending.set(correlationId, resolve));
      const invocation = createEvent(
        'invocation.requested',
        context,
        { correlation_id: correlationId, direction, reply_to: replyTopic, profile, payload },
        clock,
      );
      try {
        // The answer may arrive before publish resolves (in-process, publish also waits for the
        // worker's audit write); the call goes on as soon as it has a verdict.
        const published = bus.publish(topics.invocations, invocation);
        return await Promise.race([answered, published.then(() => answered), deadline]);
      } finally {
        clearTimeout(timer);
        pending.delete(correlationId);
      }
    },

    async stop(): Promise<void> {
      await subscription?.stop();
    },
  };
}

export type VerdictClient = ReturnType<typeof createVerdictClient>;
