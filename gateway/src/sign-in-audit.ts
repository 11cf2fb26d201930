import type { Logger } from 'pino';
import { createEvent, type Bus, type Clock, type Principal, type Topics } from '../../events/src/index.ts';

/**
 * Audits sign-ins without auditing every request: a principal's first authentication by a
 * method, and again once `windowMs` has passed since the last one recorded.
 */
export function createSignInAudit(options: { bus: Bus; topics: Topics; clock: Clock; instanceId: string; logger: Logger; windowMs?: number }) {
  const { bus, topics, clock, instanceId, logger } = options;
  const windowMs = options.windowMs ?? 60 * 60 * 1000;
  const lastRecorded = new Map<string, number>();

  return {
    record(principal: Principal, method: 'static_token' | 'oidc' | 'api_key', portal: string): void {
      const key = `${method}\u0000${principal.subject}\u0000${portal}`;
      const now = clock.now();
      const last = lastRecorded.get(key);
      if (last !== undefined && now - last < windowMs) return;
      lastRecorded.set(key, now);
      const event = createEvent('auth.signed_in', { trace_id: crypto.randomUUID().replaceAll('-', ''), gateway: instanceId, principal, portal }, { method }, clock);
      bus.publish(topics.audit, event).catch((error: unknown) => {
        lastRecorded.delete(key);
        logger.error({ err: error }, 'could not audit a sign-in');
      });
    },
  };
}
