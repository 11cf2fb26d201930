import { describe, expect, it } from 'vitest';
import { createEvent, type Event } from '../../events/src/index.ts';
import { recordFormatter, toExportRecords, type ExportFormat, type ExportRecord } from '../src/export/index.ts';
import { escapeExtension } from '../src/export/formats/cef.ts';
import { fixedClock, toolCallEvents, uniqueContext } from './support/audit-events.ts';
import { exportRowOf, PAYLOAD_SECRET } from './export-support/export-rows.ts';

const clock = fixedClock();
const context = { productVersion: '9.9.9' };
const FORMATS: ExportFormat[] = ['ocsf', 'cef', 'ecs', 'hec'];

const recordsOf = (event: Event) => toExportRecords(exportRowOf(event, { offset: 7 }));
const json = (format: 'ocsf' | 'ecs' | 'hec', record: ExportRecord) => JSON.parse(recordFormatter(format, context)(record)) as Record<string, any>;

/** A verdict that found a card and an AWS key, with the raw payload captured (payload_capture: full). */
function verdictWithFindings(): Event {
  return createEvent(
    'dlp.verdict',
    uniqueContext({ server: 'crm', tool: 'export_contacts' }),
    {
      correlation_id: 'call-1:result',
      direction: 'result',
      decision: 'block',
      profile: 'strict',
      findings: [
        { detector: 'payment_card', type: 'pii', path: '$.rows[0].card', start: 0, end: 16, confidence: 0.95, action: 'redact' },
        { detector: 'aws_access_key_id', type: 'secret', path: '$.rows[1].note', start: 4, end: 24, confidence: 0.9, action: 'block' },
      ],
      payload_capture: 'full',
      payload: { rows: [{ card: '4111111111111111' }, { note: `key ${PAYLOAD_SECRET}` }] },
      scan_ms: 2,
    },
    clock,
  );
}

describe('SIEM export formats', () => {
  it('maps a completed call to OCSF API Activity (6003) with every required attribute', () => {
    const completed = toolCallEvents(uniqueContext())[2]!;
    const [record] = recordsOf(completed);
    const ocsf = json('ocsf', record!);
    expect(ocsf).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      activity_id: 99,
      type_uid: 600399,
      time: Date.parse(completed.time),
      severity_id: 2,
      status_id: 1,
      status: 'Success',
      status_detail: 'dlp:default',
      action_id: 4,
      action: 'Modified',
      duration: 12,
      metadata: { version: '1.5.0', uid: completed.id, correlation_uid: completed.trace_id, product: { name: 'Gatehouse', version: '9.9.9' } },
      actor: { user: { uid: completed.principal.subject, email_addr: completed.principal.email, groups: [{ name: 'support' }, { name: 'eng' }] } },
      api: { operation: 'tools/call', service: { name: 'customer-db' }, request: { uid: (completed.body as { correlation_id: string }).correlation_id } },
      src_endpoint: { svc_name: 'mcp' },
      resources: [{ name: 'lookup_customer', uid: 'default/customer-db/lookup_customer' }],
    });
  });

  it('maps a denial to a failed, denied OCSF API Activity', () => {
    const denied = createEvent('access.denied', uniqueContext({ tool: 'drop_table' }), { reason: 'unknown_tool', detail: 'no such tool in this portal' }, clock);
    const ocsf = json('ocsf', recordsOf(denied)[0]!);
    expect(ocsf).toMatchObject({ class_uid: 6003, status_id: 2, status: 'Failure', action_id: 2, disposition_id: 2, status_detail: 'unknown_tool' });
  });

  it('maps each DLP finding to its own OCSF Data Security Finding (2006), located but without the value', () => {
    const verdict = verdictWithFindings();
    const records = recordsOf(verdict);
    expect(records.map((record) => record.uid)).toEqual([`${verdict.id}/0`, `${verdict.id}/1`]);
    const [card, key] = records.map((record) => json('ocsf', record));
    expect(card).toMatchObject({
      class_uid: 2006,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200601,
      finding_info: { uid: `${verdict.id}/0`, types: ['pii'], analytic: { name: 'payment_card' } },
      data_security: { detection_pattern: 'payment_card', data_lifecycle_state_id: 2, policy: { name: 'strict' } },
      action_id: 4,
      confidence_score: 95,
      unmapped: { finding: { path: '$.rows[0].card', start: 0, end: 16, action: 'redact', direction: 'result' } },
    });
    expect(card!['data_security']).not.toHaveProperty('pattern_match');
    expect(key).toMatchObject({ action_id: 2, disposition_id: 2, severity_id: 4, is_alert: true });
  });

  it('exports a verdict without findings as nothing: the call\'s own events carry the activity', () => {
    const verdict = toolCallEvents(uniqueContext())[1]!;
    expect(toExportRecords(exportRowOf({ ...verdict, body: { ...verdict.body, findings: [] } } as Event))).toEqual([]);
  });

  it.each(FORMATS)('never carries a captured payload or a matched value (%s)', (format) => {
    const lines = recordsOf(verdictWithFindings()).map(recordFormatter(format, context));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(PAYLOAD_SECRET);
      expect(line).not.toContain('4111111111111111');
      expect(line).not.toContain('\n');
    }
  });

  it('writes CEF with the seven header fields and escaped values', () => {
    const completed = toolCallEvents(uniqueContext({ tool: 'a|b', principal: { subject: 'x=y\\z', email: 'e@example.test', groups: [] } }))[2]!;
    const line = recordFormatter('cef', context)(recordsOf(completed)[0]!);
    const header = line.split(/(?<!\\)\|/);
    expect(header.slice(0, 7)).toEqual(['CEF:0', 'Gatehouse', 'Gatehouse', '9.9.9', 'tool.call.completed', 'tool.call.completed redacted', '3']);
    expect(line).toContain(`rt=${Date.parse(completed.time)} externalId=${completed.id} cat=tool.call.completed act=redacted outcome=success`);
    expect(line).toContain('suser=x\\=y\\\\z ');
    expect(line).toContain('flexString1Label=tool flexString1=a|b');
    expect(line).not.toContain('cs2Label');
    expect(escapeExtension('a=b\\c\nd')).toBe('a\\=b\\\\c\\nd');
  });

  it('writes ECS with the categorization fields and Gatehouse fields under gatehouse.*', () => {
    const completed = toolCallEvents(uniqueContext())[2]!;
    const ecs = json('ecs', recordsOf(completed)[0]!);
    expect(ecs).toMatchObject({
      '@timestamp': completed.time,
      ecs: { version: '8.11.0' },
      event: { id: completed.id, kind: 'event', category: ['api'], type: ['access', 'change'], action: 'tool.call.completed', outcome: 'success', duration: 12_000_000 },
      user: { id: completed.principal.subject, email: completed.principal.email },
      trace: { id: completed.trace_id },
      gatehouse: { server: 'customer-db', tool: 'lookup_customer', decision: 'redacted', kafka: { offset: '7' } },
    });
    const finding = json('ecs', recordsOf(verdictWithFindings())[1]!);
    expect(finding).toMatchObject({ event: { kind: 'alert', type: ['access', 'denied'] }, rule: { name: 'aws_access_key_id', ruleset: 'strict' } });
  });

  it('wraps the OCSF event in a Splunk HEC event with time in epoch seconds', () => {
    const completed = toolCallEvents(uniqueContext())[2]!;
    const hec = JSON.parse(recordFormatter('hec', { ...context, index: 'security' })(recordsOf(completed)[0]!));
    expect(hec).toMatchObject({
      time: Date.parse(completed.time) / 1000,
      host: 'gw-test',
      source: 'gatehouse',
      sourcetype: 'gatehouse:ocsf',
      index: 'security',
      event: { class_uid: 6003, metadata: { uid: completed.id } },
      fields: { event_type: 'tool.call.completed', tool: 'lookup_customer' },
    });
  });
});
