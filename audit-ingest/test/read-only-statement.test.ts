import { describe, expect, it } from 'vitest';
import { singleReadStatement } from '../src/index.ts';

describe('singleReadStatement', () => {
  it.each([
    ['SELECT 1', 'SELECT 1'],
    ['  select * from audit_events;  ', '  select * from audit_events'],
    ['WITH 1 AS x SELECT x;;', 'WITH 1 AS x SELECT x'],
    ['-- who called the customer DB\nSELECT principal_subject FROM audit_events', '-- who called the customer DB\nSELECT principal_subject FROM audit_events'],
    ["SELECT 'a;b' AS s -- trailing; comment", "SELECT 'a;b' AS s"],
    ['(SELECT 1) UNION ALL (SELECT 2)', '(SELECT 1) UNION ALL (SELECT 2)'],
    ["SELECT * FROM audit_events WHERE tool = 'get_customer'", "SELECT * FROM audit_events WHERE tool = 'get_customer'"],
    ["SELECT \"type\" FROM audit_events WHERE tool = 'echo' ;", "SELECT \"type\" FROM audit_events WHERE tool = 'echo'"],
    ['SHOW TABLES', 'SHOW TABLES'],
    ['DESC audit_events', 'DESC audit_events'],
    ['EXPLAIN SELECT 1', 'EXPLAIN SELECT 1'],
    ["SELECT 'it''s; fine', `odd;name` FROM t /* ; */", "SELECT 'it''s; fine', `odd;name` FROM t"],
  ])('accepts %j', (sql, statement) => {
    expect(singleReadStatement(sql)).toBe(statement);
  });

  it.each([
    ['INSERT INTO audit_events SELECT * FROM audit_events', /starts with INSERT/],
    ['/* SELECT */ DROP TABLE audit_events', /starts with DROP/],
    ["SELECT 1; TRUNCATE TABLE audit_events", /more than one statement/],
    ["SELECT ';'; DELETE FROM audit_events WHERE 1", /more than one statement/],
    ['KILL QUERY WHERE 1', /starts with KILL/],
    ['SET readonly = 0', /starts with SET/],
    ['SELECTED', /starts with SELECTED/],
    ['  ;  -- nothing', /empty/],
  ])('refuses %j', (sql, reason) => {
    expect(() => singleReadStatement(sql)).toThrow(reason);
    expect(() => singleReadStatement(sql)).toThrow(expect.objectContaining({ code: 'GH_ERR_AUDIT_QUERY_NOT_READ_ONLY' }));
  });
});
