import type { DashboardSpec } from './panel-spec.ts';

export const accessDashboard: DashboardSpec = {
  uid: 'gatehouse-access',
  title: 'Gatehouse / Access',
  description: 'Who signs in, who is refused and by which rule, who calls most, and upstream tool definitions that changed.',
  tags: ['gatehouse', 'access'],
  panels: [
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Sign-ins',
      description: 'auth.signed_in: once per principal, method and portal per hour.',
      sql: `SELECT $__timeInterval(time) AS bucket, JSONExtractString(body, 'method') AS method, count() AS sign_ins
FROM audit_events
WHERE $__timeFilter(time) AND type = 'auth.signed_in'
GROUP BY bucket, method
ORDER BY bucket`,
      columns: ['bucket', 'method', 'sign_ins'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Denials by reason',
      description: 'Requests refused before any tool ran: bad tokens, portal and tool access rules.',
      sql: `SELECT $__timeInterval(time) AS bucket, JSONExtractString(body, 'reason') AS reason, count() AS denials
FROM audit_events
WHERE $__timeFilter(time) AND type = 'access.denied'
GROUP BY bucket, reason
ORDER BY bucket`,
      columns: ['bucket', 'reason', 'denials'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Denials by rule',
      description: 'The config rule that decided each denial (its path in gatehouse.yaml); token failures have none.',
      sql: `SELECT if(JSONExtractString(body, 'rule') = '', '(authentication)', JSONExtractString(body, 'rule')) AS rule,
  JSONExtractString(body, 'reason') AS reason, count() AS denials, uniqExact(principal_subject) AS principals
FROM audit_events
WHERE $__timeFilter(time) AND type = 'access.denied'
GROUP BY rule, reason
ORDER BY denials DESC`,
      columns: ['rule', 'reason', 'denials', 'principals'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Top users',
      description: 'Callers by number of tool calls.',
      sql: `SELECT principal_subject, principal_email, count() AS calls, uniqExact(tool) AS tools, max(time) AS last_call
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.call.received'
GROUP BY principal_subject, principal_email
ORDER BY calls DESC
LIMIT 20`,
      columns: ['principal_subject', 'principal_email', 'calls', 'tools', 'last_call'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Tool pinning events',
      description: 'Upstream tool definitions that changed since they were approved: withheld until "gatehouse tools approve", or only reported.',
      sql: `SELECT time, portal, server, tool, JSONExtractString(body, 'action') AS action,
  arrayStringConcat(JSONExtract(body, 'summary', 'Array(String)'), '; ') AS summary
FROM audit_events
WHERE $__timeFilter(time) AND type = 'tool.definition.changed'
ORDER BY time DESC
LIMIT 100`,
      columns: ['time', 'portal', 'server', 'tool', 'action', 'summary'],
      width: 24,
    },
  ],
};
