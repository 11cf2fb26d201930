import { CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY, ProtocolError, type ClientCapabilities, type LoggingLevel, type LoggingMessageNotification, type ServerContext } from '@modelcontextprotocol/server';
import type { CheckedExchange, CheckedRequest } from './checked-exchange.ts';
import type { AskClient } from './parked-calls.ts';
import type { CallRelay } from './upstream/index.ts';

/** JSON-RPC "invalid request": what the gateway answers an upstream whose request it refused. */
const REFUSED_RPC_CODE = -32600;

type CheckedFields = Pick<CheckedRequest<unknown>, 'principal' | 'portal' | 'profile' | 'traceId' | 'parentSpanId'>;

/**
 * The way back from an upstream to the client of one request: progress under the client's own
 * progress token, log messages at the client's log level, and sampling and elicitation requests,
 * which pass the DLP and the audit trail like a call in the other direction.
 */
export interface ClientRelayOptions {
  /** Identifies the client (its session, or its request when it has none). */
  client: string;
  /** The upstream server the request went to. */
  server: string;
  checked: CheckedFields;
  exchange: CheckedExchange;
  /** A 2025 session's declared capabilities (a 2026 request declares its own). */
  sessionCapabilities: ClientCapabilities | undefined;
  /** How a request reaches a client that cannot be sent one (2026-07-28): parked-calls.ts. Default: sent on the request's stream. */
  askClient?: AskClient;
}

export function relayToClient(ctx: ServerContext, options: ClientRelayOptions): CallRelay {
  const { client, server, checked, exchange, sessionCapabilities, askClient } = options;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const ignoreClosed = () => undefined;
  // A 2026-07-28 client names its log level and capabilities per request (no level: no logs); a
  // 2025 session's level is applied by the session's server when it relays, so everything is
  // asked for upstream, and its capabilities are the session's.
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const logLevel = envelope ? (envelope[LOG_LEVEL_META_KEY] as LoggingLevel | undefined) : 'debug';
  const clientCapabilities = relayedCapabilities(envelope ? (envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) : sessionCapabilities);
  // A log message may carry data out like a result does: each passes the DLP, in order, and a
  // blocked one (or one without a verdict) is dropped rather than sent unchecked.
  let logged = Promise.resolve();
  const passOnLog = (params: LoggingMessageNotification['params']) =>
    exchange({
      ...checked,
      server,
      operation: 'notifications/message',
      target: params.logger ?? 'log',
      arguments: params,
      run: async (forwarded) => {
        const { level, data, logger } = forwarded as LoggingMessageNotification['params'];
        await ctx.mcpReq.log(level, data, logger).catch(ignoreClosed);
        return forwarded;
      },
      asResult: () => undefined,
    }).then(() => undefined, ignoreClosed);
  return {
    client,
    ...(logLevel !== undefined ? { logLevel } : {}),
    ...(clientCapabilities !== undefined ? { clientCapabilities } : {}),
    ...(progressToken !== undefined
      ? { progress: (update) => void ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...update, progressToken } }).catch(ignoreClosed) }
      : {}),
    log(params) {
      logged = logged.then(() => passOnLog(params));
    },
    delivered: () => logged,
    async request(method, params, signal) {
      const outcome = await exchange<Record<string, unknown>>({
        ...checked,
        server,
        operation: method,
        target: method,
        arguments: params,
        run: (forwarded) => (askClient ? askClient(method, forwarded) : (ctx.mcpReq.send({ method, params: forwarded } as never, { signal }) as Promise<Record<string, unknown>>)),
        asResult: (payload) => (payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined),
      });
      if (!outcome.ok) throw new ProtocolError(REFUSED_RPC_CODE, outcome.message);
      return outcome.result;
    },
  };
}

/** The declared capabilities an upstream may use through the gateway: those whose requests reach the client. */
function relayedCapabilities(declared: ClientCapabilities | undefined): ClientCapabilities | undefined {
  if (declared === undefined) return undefined;
  const { sampling, elicitation, roots } = declared;
  return { ...(sampling ? { sampling } : {}), ...(elicitation ? { elicitation } : {}), ...(roots ? { roots } : {}) };
}
