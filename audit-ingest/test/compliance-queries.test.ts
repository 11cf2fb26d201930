import { describe, expect, it } from 'vitest';
import { bindQueryParams, CLICKHOUSE_PARAM_TYPES, COMPLIANCE_QUERIES, findComplianceQuery } from '../src/index.ts';
import { fixedClock } from './support/audit-events.ts';

describe('the compliance query library', () => {
  it.each(COMPLIANCE_QUERIES.map((query) => [query.name, query] as const))('%s binds exactly the parameters it declares, with their types', (_name, query) => {
    const placeholders = [...query.sql.matchAll(/\{(\w+):([^}]+)\}/g)].map((match) => [match[1]!, match[2]!] as const);
    expect(new Set(placeholders.map(([name]) => name))).toEqual(new Set(Object.keys(query.params)));
    for (const [name, type] of placeholders) expect(type).toBe(CLICKHOUSE_PARAM_TYPES[query.params[name]!.type]);
    expect(query.description.length).toBeGreaterThan(10);
  });

  it('has unique names', () => {
    expect(new Set(COMPLIANCE_QUERIES.map((query) => query.name)).size).toBe(COMPLIANCE_QUERIES.length);
  });

  it('fills defaults and parses times: ISO dates and times, now, and -<n>d before now', () => {
    const clock = fixedClock('2026-03-14T12:00:00.000Z');
    expect(bindQueryParams(findComplianceQuery('calls'), { from: '2026-03-01', tool: 'get_customer' }, clock)).toEqual({
      from: '2026-03-01 00:00:00.000',
      to: '2026-03-14 12:00:00.000',
      server: '',
      tool: 'get_customer',
      principal: '',
      limit: '10000',
    });
    expect(bindQueryParams(findComplianceQuery('denied_calls'), { from: '-7d', to: '2026-03-14T10:00:00+02:00' }, clock)).toEqual({
      from: '2026-03-07 12:00:00.000',
      to: '2026-03-14 08:00:00.000',
    });
  });

  it.each([
    ['calls', { from: 'yesterday' }, /parameter from must be an ISO 8601 time/],
    ['calls', { limit: '-1' }, /parameter limit must be a whole number/],
    ['calls', { tool_name: 'x' }, /query calls has no parameter tool_name; it takes from, to, server, tool, principal, limit/],
    ['call_trace', {}, /query call_trace needs the parameter trace_id/],
  ])('refuses %s with %o', (name, params, message) => {
    expect(() => bindQueryParams(findComplianceQuery(name), params)).toThrow(message);
    expect(() => bindQueryParams(findComplianceQuery(name), params)).toThrow(expect.objectContaining({ code: 'GH_ERR_AUDIT_QUERY_PARAM_INVALID' }));
  });

  it('names the queries there are when asked for one that is not', () => {
    expect(() => findComplianceQuery('drop_everything')).toThrow(expect.objectContaining({ code: 'GH_ERR_AUDIT_QUERY_UNKNOWN', message: expect.stringContaining('calls, dlp_actions') }));
  });
});
