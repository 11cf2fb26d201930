import type { ClickHouseClient } from '@clickhouse/client';
import { systemClock, type Clock } from '../../events/src/index.ts';
import { COMPLIANCE_QUERIES, type ComplianceQuery } from './compliance-queries.ts';
import { AuditIngestError } from './errors.ts';
import { parseQueryParam } from './query-params.ts';
import { queryReadOnly, type ReadOnlyQueryResult } from './read-only-query.ts';

export function findComplianceQuery(name: string): ComplianceQuery {
  const query = COMPLIANCE_QUERIES.find((candidate) => candidate.name === name);
  if (!query) {
    throw new AuditIngestError('GH_ERR_AUDIT_QUERY_UNKNOWN', `there is no named audit query "${name.slice(0, 60)}"; the queries are ${COMPLIANCE_QUERIES.map((q) => q.name).join(', ')}`);
  }
  return query;
}

/** Every parameter of `query`, parsed from what the caller gave or from its default. */
export function bindQueryParams(query: ComplianceQuery, given: Record<string, string>, clock: Clock = systemClock): Record<string, string> {
  const unknown = Object.keys(given).filter((name) => !(name in query.params));
  if (unknown.length > 0) {
    throw new AuditIngestError(
      'GH_ERR_AUDIT_QUERY_PARAM_INVALID',
      `query ${query.name} has no parameter ${unknown.join(', ')}; it takes ${Object.keys(query.params).join(', ') || 'none'}`,
    );
  }
  return Object.fromEntries(
    Object.entries(query.params).map(([name, spec]) => {
      const raw = given[name] ?? spec.default;
      if (raw === undefined) throw new AuditIngestError('GH_ERR_AUDIT_QUERY_PARAM_INVALID', `query ${query.name} needs the parameter ${name} (${spec.description})`);
      return [name, parseQueryParam(name, spec, raw, clock)];
    }),
  );
}

/** Runs a named compliance query, read-only, with its parameters bound by ClickHouse. */
export async function runComplianceQuery(
  connection: ClickHouseClient,
  name: string,
  params: Record<string, string>,
  clock: Clock = systemClock,
): Promise<ReadOnlyQueryResult> {
  const query = findComplianceQuery(name);
  return queryReadOnly(connection, query.sql, bindQueryParams(query, params, clock));
}
