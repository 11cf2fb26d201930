import type { QueryParamSpec } from './query-params.ts';

/**
 * A compliance question as SQL with `{name:Type}` placeholders, bound server-side: callers pass
 * values, never SQL. Each parameter named in `params` appears in the SQL with the ClickHouse type
 * of its spec (compliance-queries.test.ts checks that).
 */
export interface ComplianceQuery {
  name: string;
  description: string;
  params: Record<string, QueryParamSpec>;
  sql: string;
}

const FROM: QueryParamSpec = { type: 'DateTime', description: 'start of the time range (ISO 8601, now, -<n>m|h|d)', default: '-30d' };
const TO: QueryParamSpec = { type: 'DateTime', description: 'end of the time range', default: 'now' };
const LIMIT: QueryParamSpec = { type: 'UInt32', description: 'most rows returned', default: '10000' };
const optional = (description: string): QueryParamSpec => ({ type: 'String', description: `${description} (empty: any)`, default: '' });

const IN_RANGE = "time >= {from:DateTime64(3, 'UTC')} AND time <= {to:DateTime64(3, 'UTC')}";

export const COMPLIANCE_QUERIES: readonly ComplianceQuery[] = [
  {
    name: 'calls',
    description: 'who called a tool or a server in a time range, and how each call ended',
    params: { from: FROM, to: TO, server: optional('upstream server'), tool: optional('tool name as the upstream knows it'), principal: optional('principal subject'), limit: LIMIT },
    sql: `
SELECT calls.time AS time, principal_subject, principal_email, portal, server, tool, outcomes.outcome AS outcome, trace_id, correlation_id
FROM
(
  SELECT time, principal_subject, principal_email, portal, server, tool, trace_id, correlation_id
  FROM audit_events
  WHERE type = 'tool.call.received' AND ${IN_RANGE}
    AND ({server:String} = '' OR server = {server:String})
    AND ({tool:String} = '' OR tool = {tool:String})
    AND ({principal:String} = '' OR principal_subject = {principal:String})
) AS calls
LEFT JOIN
(
  SELECT correlation_id, any(decision) AS outcome
  FROM audit_events
  WHERE type = 'tool.call.completed' AND time >= {from:DateTime64(3, 'UTC')}
  GROUP BY correlation_id
) AS outcomes USING (correlation_id)
ORDER BY time
LIMIT {limit:UInt32}`,
  },
  {
    name: 'dlp_actions',
    description: 'every DLP block and redaction, by policy (profile), user and tool',
    params: { from: FROM, to: TO, profile: optional('DLP profile'), principal: optional('principal subject'), tool: optional('tool name'), limit: LIMIT },
    sql: `
SELECT time, decision, JSONExtractString(body, 'profile') AS profile, JSONExtractString(body, 'direction') AS direction,
  arrayStringConcat(arrayDistinct(arrayMap(f -> JSONExtractString(f, 'detector'), JSONExtractArrayRaw(body, 'findings'))), ',') AS detectors,
  principal_subject, principal_email, portal, server, tool, trace_id
FROM audit_events
WHERE type = 'dlp.verdict' AND decision IN ('block', 'redact') AND ${IN_RANGE}
  AND ({profile:String} = '' OR JSONExtractString(body, 'profile') = {profile:String})
  AND ({principal:String} = '' OR principal_subject = {principal:String})
  AND ({tool:String} = '' OR tool = {tool:String})
ORDER BY time
LIMIT {limit:UInt32}`,
  },
  {
    name: 'denied_calls',
    description: 'denied requests (bad token, unknown tool) and blocked or refused calls, per principal',
    params: { from: FROM, to: TO },
    sql: `
SELECT principal_subject, any(principal_email) AS principal_email,
  countIf(type = 'access.denied') AS denied,
  countIf(type = 'tool.call.completed' AND decision = 'blocked') AS blocked,
  countIf(type = 'tool.call.completed' AND decision = 'refused') AS refused,
  arraySort(groupUniqArrayIf(JSONExtractString(body, 'reason'), type = 'access.denied')) AS denial_reasons,
  min(time) AS first_seen, max(time) AS last_seen
FROM audit_events
WHERE ${IN_RANGE} AND (type = 'access.denied' OR (type = 'tool.call.completed' AND decision IN ('blocked', 'refused')))
GROUP BY principal_subject
ORDER BY denied + blocked + refused DESC, principal_subject`,
  },
  {
    name: 'call_trace',
    description: 'the full trace of one call: every event with its trace id, in order',
    params: { trace_id: { type: 'String', description: 'the trace id (from any row of the call, or the client traceparent)' } },
    sql: `
SELECT time, type, decision, principal_subject, portal, server, tool, correlation_id, body, gateway, kafka_partition, seq
FROM audit_events
WHERE trace_id = {trace_id:String}
ORDER BY time, kafka_partition, seq`,
  },
  {
    name: 'config_changes',
    description: 'configuration changes and who made them (events of type config.*)',
    params: { from: FROM, to: TO, limit: LIMIT },
    sql: `
SELECT time, type, principal_subject, principal_email, gateway, body
FROM audit_events
WHERE startsWith(type, 'config.') AND ${IN_RANGE}
ORDER BY time
LIMIT {limit:UInt32}`,
  },
  {
    name: 'coverage',
    description: 'calls lacking a record: each call needs its receipt, a verdict on its arguments (unless refused) and an outcome; no rows means full coverage',
    params: { from: FROM, to: TO, limit: LIMIT },
    sql: `
SELECT call_id, min(time) AS time, any(principal_subject) AS principal_subject, any(server) AS server, any(tool) AS tool,
  countIf(type = 'tool.call.received') AS received,
  countIf(type = 'dlp.verdict' AND JSONExtractString(body, 'direction') = 'arguments') AS argument_verdicts,
  countIf(type = 'tool.call.completed') AS outcomes,
  anyIf(decision, type = 'tool.call.completed') AS outcome,
  multiIf(received = 0, 'receipt', outcomes = 0, 'outcome', 'verdict') AS missing
FROM
(
  SELECT time, type, decision, body, principal_subject, server, tool, splitByChar(':', correlation_id)[1] AS call_id
  FROM audit_events
  WHERE type IN ('tool.call.received', 'dlp.verdict', 'tool.call.completed')
    AND time >= {from:DateTime64(3, 'UTC')} - INTERVAL 1 HOUR AND time <= {to:DateTime64(3, 'UTC')} + INTERVAL 1 HOUR
)
GROUP BY call_id
HAVING time >= {from:DateTime64(3, 'UTC')} AND time <= {to:DateTime64(3, 'UTC')}
  AND (received = 0 OR outcomes = 0 OR (argument_verdicts = 0 AND outcome != 'refused'))
ORDER BY time
LIMIT {limit:UInt32}`,
  },
  {
    name: 'sequence_gaps',
    description: 'logging gaps: positions missing from a partition hash chain',
    params: { from: FROM, to: TO },
    sql: `
SELECT kafka_topic, kafka_partition, seq + 1 AS first_missing_seq, next_seq - 1 AS last_missing_seq, next_seq - seq - 1 AS missing, time AS last_time_before_gap
FROM
(
  SELECT kafka_topic, kafka_partition, seq, time,
    leadInFrame(seq, 1, seq + 1) OVER (PARTITION BY kafka_topic, kafka_partition ORDER BY seq ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_seq
  FROM audit_events
  WHERE leaf_hash != '' AND ${IN_RANGE}
)
WHERE next_seq > seq + 1
ORDER BY kafka_topic, kafka_partition, seq`,
  },
  {
    name: 'silent_gateways',
    description: 'logging gaps: gateway instances that sent nothing for a while before the end of the range',
    params: { from: FROM, to: TO, silent_minutes: { type: 'UInt32', description: 'minutes without an event that count as silent', default: '60' } },
    sql: `
SELECT gateway, min(time) AS first_seen, max(time) AS last_seen, count() AS events,
  dateDiff('minute', max(time), {to:DateTime64(3, 'UTC')}) AS silent_for_minutes
FROM audit_events
WHERE gateway != '' AND ${IN_RANGE}
GROUP BY gateway
HAVING silent_for_minutes >= {silent_minutes:UInt32}
ORDER BY last_seen`,
  },
  {
    name: 'retention_proof',
    description: 'retention proof: the oldest record, the configured retention, and the last days online',
    params: { online_days: { type: 'UInt32', description: 'the window that must be online (PCI DSS 10.5.1: 90 days)', default: '90' } },
    sql: `
SELECT min(time) AS oldest_record, max(time) AS newest_record, dateDiff('day', min(time), now64(3)) AS oldest_record_age_days,
  count() AS total_rows,
  countIf(time >= now64(3) - toIntervalDay({online_days:UInt32})) AS rows_in_online_window,
  uniqExactIf(toDate(time), time >= now64(3) - toIntervalDay({online_days:UInt32})) AS days_with_events_in_online_window,
  {online_days:UInt32} AS online_window_days,
  (SELECT toUInt32OrZero(extract(create_table_query, 'TTL toDateTime\\\\(time\\\\) \\\\+ toIntervalDay\\\\((\\\\d+)\\\\)'))
   FROM system.tables WHERE database = currentDatabase() AND name = 'audit_events') AS retention_days
FROM audit_events`,
  },
];
