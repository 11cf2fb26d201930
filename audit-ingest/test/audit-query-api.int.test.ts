import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../events/src/index.ts';
import { auditQueryApi, migrate } from '../src/index.ts';
import { FIXTURE_FROM, FIXTURE_TO, storeComplianceFixture, type ComplianceFixture } from './support/compliance-fixture.ts';
import { openTempStore, type TempStore } from './support/temp-store.ts';

const PEOPLE: Record<string, Principal> = {
  'Bearer auditor-token': { subject: 'auditor', email: 'auditor@example.test', groups: ['compliance'] },
  'Bearer developer-token': { subject: 'developer', email: 'dev@example.test', groups: ['engineering'] },
};

describe('the read-only audit query API', () => {
  let store: TempStore;
  let app: FastifyInstance;
  let fixture: ComplianceFixture;
  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
    fixture = await storeComplianceFixture(store.connection);
    app = fastify();
    app.get('/health', async () => ({ ok: true }));
    await app.register(auditQueryApi, { connection: store.connection, authenticate: (header) => (header ? PEOPLE[header] : undefined), allowedGroups: ['compliance'] });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.dispose();
  });

  it('lists the named queries with their parameters for the compliance group', async () => {
    const response = await get('/audit/queries', 'auditor-token');

    expect(response.statusCode).toBe(200);
    const { queries } = response.json<{ queries: Array<{ name: string; params: Record<string, { type: string }> }> }>();
    expect(queries.map((query) => query.name)).toEqual(expect.arrayContaining(['calls', 'dlp_actions', 'denied_calls', 'call_trace', 'coverage', 'retention_proof']));
    expect(queries.find((query) => query.name === 'call_trace')?.params['trace_id']).toMatchObject({ type: 'String' });
  });

  it('runs a query with parameters from the query string', async () => {
    const response = await get(`/audit/queries/calls?from=${FIXTURE_FROM}&to=${FIXTURE_TO}&tool=lookup_customer`, 'auditor-token');

    expect(response.statusCode).toBe(200);
    const body = response.json<{ name: string; columns: Array<{ name: string }>; rows: unknown[][] }>();
    expect(body.name).toBe('calls');
    expect(body.columns.map((column) => column.name)).toContain('principal_subject');
    expect(body.rows).toHaveLength(3);
    expect(body.rows.every((row) => row.includes(fixture.alice.principal.subject))).toBe(true);
  });

  it.each([
    ['no token', undefined, 401, 'GH_ERR_AUDIT_API_UNAUTHENTICATED'],
    ['an unknown token', 'made-up', 401, 'GH_ERR_AUDIT_API_UNAUTHENTICATED'],
    ['a member of another group', 'developer-token', 403, 'GH_ERR_AUDIT_API_FORBIDDEN'],
  ])('refuses %s with a JSON error', async (_who, token, status, code) => {
    for (const url of ['/audit/queries', '/audit/queries/calls']) {
      const response = await get(url, token);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({ error: { code, message: expect.stringMatching(/compliance group/) } });
    }
    expect((await get('/audit/queries', undefined)).headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    ['/audit/queries/drop_tables', 404, 'GH_ERR_AUDIT_QUERY_UNKNOWN', /no named audit query "drop_tables"/],
    ['/audit/queries/calls?from=last-week', 400, 'GH_ERR_AUDIT_QUERY_PARAM_INVALID', /parameter from must be an ISO 8601 time/],
    ['/audit/queries/calls?sql=SELECT%201', 400, 'GH_ERR_AUDIT_QUERY_PARAM_INVALID', /has no parameter sql/],
    ['/audit/queries/calls?tool=a&tool=b', 400, 'GH_ERR_AUDIT_QUERY_PARAM_INVALID', /tool is given more than once/],
    ['/audit/queries/call_trace', 400, 'GH_ERR_AUDIT_QUERY_PARAM_INVALID', /needs the parameter trace_id/],
  ])('answers %s with %i and a clear error', async (url, status, code, message) => {
    const response = await get(url, 'auditor-token');

    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: { code, message: expect.stringMatching(message) } });
  });

  it('guards its own routes only: the rest of the app is untouched', async () => {
    expect((await get('/health')).statusCode).toBe(200);
  });
});
