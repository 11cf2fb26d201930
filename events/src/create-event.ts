import { v7 as uuidv7 } from 'uuid';
import type { Principal } from './envelope.ts';
import type { EventOf, EventType } from './events.ts';
import type { Clock } from './clock.ts';

/** The envelope fields a producer chooses; id, version and time are filled in here. */
export interface EventContext {
  trace_id: string;
  /** See envelope.ts: the span a consumer continues the trace from. */
  span_id?: string;
  gateway: string;
  principal: Principal;
  portal?: string;
  server?: string;
  tool?: string;
}

export function createEvent<T extends EventType>(
  type: T,
  context: EventContext,
  body: EventOf<T>['body'],
  clock: Clock,
): EventOf<T> {
  return {
    id: uuidv7({ msecs: clock.now() }),
    version: 1,
    type,
    time: new Date(clock.now()).toISOString(),
    trace_id: context.trace_id,
    ...(context.span_id ? { span_id: context.span_id } : {}),
    gateway: context.gateway,
    principal: context.principal,
    portal: context.portal ?? '',
    server: context.server ?? '',
    tool: context.tool ?? '',
    body,
  } as EventOf<T>;
}

/** The envelope of `event` without its id, time and body: what a follow-up event about the same call repeats. */
export function contextOf(event: EventContext): EventContext {
  return {
    trace_id: event.trace_id,
    ...(event.span_id ? { span_id: event.span_id } : {}),
    gateway: event.gateway,
    principal: event.principal,
    portal: event.portal ?? '',
    server: event.server ?? '',
    tool: event.tool ?? '',
  };
}
