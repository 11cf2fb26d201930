import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { systemClock, type Clock, type Principal } from '../../events/src/index.ts';
import { COMPLIANCE_QUERIES } from './compliance-queries.ts';
import { AuditIngestError } from './errors.ts';
import { runComplianceQuery } from './named-query.ts';

export interface AuditQueryApiOptions {
  connection: ClickHouseClient;
  /** The caller behind an Authorization header, or undefined when it names no one (missing, invalid, expired). */
  authenticate: (authorizationHeader: string | undefined) => Principal | undefined | Promise<Principal | undefined>;
  /** Callers in at least one of these groups may run the queries; everyone else gets 403. */
  allowedGroups: string[];
  clock?: Clock;
}

/** Wire errors of the audit query API: HTTP status, stable code, and a message that says what to do. */
const API_ERRORS = {
  GH_ERR_AUDIT_API_UNAUTHENTICATED: { status: 401, message: 'send Authorization: Bearer <token> of a member of the compliance group' },
  GH_ERR_AUDIT_API_FORBIDDEN: { status: 403, message: 'the audit queries are open to the compliance group only' },
  GH_ERR_AUDIT_QUERY_UNKNOWN: { status: 404, message: '' },
  GH_ERR_AUDIT_QUERY_PARAM_INVALID: { status: 400, message: '' },
  GH_ERR_AUDIT_QUERY_FAILED: { status: 500, message: 'the audit store could not answer; try again, or tell the operators' },
} as const;
type ApiErrorCode = keyof typeof API_ERRORS;

function sendError(reply: FastifyReply, code: ApiErrorCode, message: string = API_ERRORS[code].message): FastifyReply {
  return reply.status(API_ERRORS[code].status).send({ error: { code, message } });
}

/**
 * The read-only compliance API: `GET /audit/queries` lists the named queries with their
 * parameters, `GET /audit/queries/:name?param=value…` runs one and answers `{ name, columns, rows }`.
 * Only members of `allowedGroups` get past the door; the hook is encapsulated in this plugin, so
 * it guards these routes and nothing else of the app that registers it.
 */
export const auditQueryApi: FastifyPluginAsync<AuditQueryApiOptions> = async (app, options) => {
  const allowed = new Set(options.allowedGroups);
  const clock = options.clock ?? systemClock;

  app.addHook('onRequest', async (request, reply) => {
    const principal = await options.authenticate(request.headers.authorization);
    if (!principal) {
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 'GH_ERR_AUDIT_API_UNAUTHENTICATED');
    }
    if (!principal.groups.some((group) => allowed.has(group))) return sendError(reply, 'GH_ERR_AUDIT_API_FORBIDDEN');
    return undefined;
  });

  app.get('/audit/queries', async () => ({
    queries: COMPLIANCE_QUERIES.map(({ name, description, params }) => ({ name, description, params })),
  }));

  app.get<{ Params: { name: string }; Querystring: Record<string, string | string[]> }>('/audit/queries/:name', async (request, reply) => {
    const repeated = Object.entries(request.query).find(([, value]) => Array.isArray(value));
    if (repeated) return sendError(reply, 'GH_ERR_AUDIT_QUERY_PARAM_INVALID', `parameter ${repeated[0]} is given more than once`);
    try {
      const result = await runComplianceQuery(options.connection, request.params.name, request.query as Record<string, string>, clock);
      return { name: request.params.name, ...result };
    } catch (error) {
      const code = error instanceof AuditIngestError ? error.code : undefined;
      if (code === 'GH_ERR_AUDIT_QUERY_UNKNOWN' || code === 'GH_ERR_AUDIT_QUERY_PARAM_INVALID') return sendError(reply, code, (error as Error).message);
      request.log.error({ err: error, query: request.params.name }, 'audit query failed');
      return sendError(reply, 'GH_ERR_AUDIT_QUERY_FAILED');
    }
  });
};
