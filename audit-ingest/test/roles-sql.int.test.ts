import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from './support/temp-store.ts';

const ROLES_SQL = new URL('../sql/roles.sql', import.meta.url);
const statements = readFileSync(ROLES_SQL, 'utf8')
  .replace(/--.*$/gm, '')
  .split(';')
  .map((statement) => statement.replace(/\s+/g, ' ').trim())
  .filter(Boolean);

// chDB has no access control to run these against; its parser (the server's) checks the syntax,
// and the grants are checked for what each role may do.
describe('audit-ingest/sql/roles.sql', () => {
  let store: TempStore;
  beforeAll(() => {
    store = openTempStore();
  });
  afterAll(async () => {
    await store.dispose();
  });

  it.each(statements.map((statement) => [statement.slice(0, 70), statement]))('parses: %s', async (_start, statement) => {
    const result = await store.connection.query({ query: `EXPLAIN AST ${statement}`, format: 'TabSeparated' });
    expect(await result.text()).toMatch(/Query/);
  });

  const grantsTo = (role: string) => statements.filter((statement) => statement.startsWith('GRANT ') && statement.endsWith(` TO ${role}`));

  it('lets the ingest role insert and read, and the compliance role only read', () => {
    expect(grantsTo('gatehouse_ingest').map((grant) => grant.split(' ON ')[0])).toEqual(['GRANT INSERT, SELECT', 'GRANT INSERT, SELECT', 'GRANT SELECT', 'GRANT SELECT']);
    expect(grantsTo('gatehouse_compliance').every((grant) => grant.startsWith('GRANT SELECT ON '))).toBe(true);
    expect(statements).toContain('CREATE SETTINGS PROFILE IF NOT EXISTS gatehouse_compliance_readonly SETTINGS readonly = 2');
  });

  it('gives ALTER, DELETE, TRUNCATE and DROP to the break-glass admin alone, who cannot log in until opened', () => {
    const powerful = statements.filter((statement) => statement.startsWith('GRANT ') && /\b(ALL|ALTER|DELETE|TRUNCATE|DROP|UPDATE)\b/.test(statement.split(' TO ')[0]!));
    expect(powerful).toEqual(['GRANT ALL ON gatehouse_db.* TO gatehouse_break_glass']);
    expect(statements).toContain("CREATE USER IF NOT EXISTS gatehouse_admin IDENTIFIED WITH sha256_password BY 'CHANGE_ME_ADMIN' HOST NONE");
  });
});
