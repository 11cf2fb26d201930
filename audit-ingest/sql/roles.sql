-- Gatehouse audit trail: ClickHouse roles and users for a ClickHouse server.
--
-- Run once as a ClickHouse administrator, after replacing:
--   gatehouse_db             the database of store.database in gatehouse.yaml
--   CHANGE_ME_*              the passwords (or use another IDENTIFIED WITH method)
-- e.g. clickhouse-client --user admin --ask-password --multiquery < audit-ingest/sql/roles.sql
--
-- No role below may ALTER, DELETE, UPDATE, TRUNCATE or DROP audit data. Only the break-glass
-- admin can, and it cannot log in until an administrator opens it (see the end of this file).
-- The schema (gatehouse audit migrate) is created and upgraded by that admin.

-- audit-ingest appends events and checkpoints. It also reads them: the events already stored
-- (to drop a redelivered batch), the tail of each hash chain, and the schema version.
CREATE ROLE IF NOT EXISTS gatehouse_ingest;
GRANT INSERT, SELECT ON gatehouse_db.audit_events TO gatehouse_ingest;
GRANT INSERT, SELECT ON gatehouse_db.audit_checkpoints TO gatehouse_ingest;
GRANT SELECT ON gatehouse_db.schema_migrations TO gatehouse_ingest;
GRANT SELECT ON system.tables TO gatehouse_ingest;

-- Compliance reads the trail and nothing else.
CREATE ROLE IF NOT EXISTS gatehouse_compliance;
GRANT SELECT ON gatehouse_db.audit_events TO gatehouse_compliance;
GRANT SELECT ON gatehouse_db.audit_findings TO gatehouse_compliance;
GRANT SELECT ON gatehouse_db.audit_checkpoints TO gatehouse_compliance;
GRANT SELECT ON gatehouse_db.schema_migrations TO gatehouse_compliance;
GRANT SELECT ON system.tables TO gatehouse_compliance;

-- People (clickhouse-client, Grafana) get readonly = 2: reads only, yet their tools may still set
-- output settings. readonly cannot be lowered from within a session.
CREATE SETTINGS PROFILE IF NOT EXISTS gatehouse_compliance_readonly SETTINGS readonly = 2;

-- The break-glass admin: everything on the audit database, for schema migrations and, in an
-- emergency, data repair. Created unable to log in from anywhere (HOST NONE).
CREATE ROLE IF NOT EXISTS gatehouse_break_glass;
GRANT ALL ON gatehouse_db.* TO gatehouse_break_glass;

-- Users get their roles by GRANT; a user's granted roles are all default roles.
CREATE USER IF NOT EXISTS gatehouse_ingester IDENTIFIED WITH sha256_password BY 'CHANGE_ME_INGEST';
GRANT gatehouse_ingest TO gatehouse_ingester;

-- Gatehouse's own query path (gatehouse audit query/verify, the gateway's /audit/queries) sets
-- readonly = 1 on every query itself, so this user has the compliance grants without the profile.
CREATE USER IF NOT EXISTS gatehouse_query IDENTIFIED WITH sha256_password BY 'CHANGE_ME_QUERY';
GRANT gatehouse_compliance TO gatehouse_query;

-- One user per compliance analyst, e.g.:
CREATE USER IF NOT EXISTS compliance_analyst IDENTIFIED WITH sha256_password BY 'CHANGE_ME_ANALYST'
  SETTINGS PROFILE gatehouse_compliance_readonly;
GRANT gatehouse_compliance TO compliance_analyst;

CREATE USER IF NOT EXISTS gatehouse_admin IDENTIFIED WITH sha256_password BY 'CHANGE_ME_ADMIN' HOST NONE;
GRANT gatehouse_break_glass TO gatehouse_admin;

-- Breaking the glass (logged by ClickHouse in system.query_log; record who and why):
--   ALTER USER gatehouse_admin HOST LOCAL;     -- or HOST IP '10.0.0.5'
--   … gatehouse audit migrate, or the repair …
--   ALTER USER gatehouse_admin HOST NONE;
