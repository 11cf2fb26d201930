import { describe, expect, it } from 'vitest';
import { createEvent, decodeEvent, encodeEvent, EventDecodeError, type Clock, type Event, type EventContext } from '../src/index.ts';

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00.000Z') };
const context: EventContext = {
  trace_id: 'trace-codec',
  gateway: 'gw-1',
  principal: { subject: 'alice', email: 'alice@example.com', groups: ['eng'] },
  portal: 'default',
  server: 'crm',
  tool: 'lookup',
};
const finding = { detector: 'email', type: 'pii', path: '$.query', start: 3, end: 20, confidence: 0.9, action: 'redact' as const };

const oneOfEachType: Event[] = [
  createEvent('invocation.requested', context, { correlation_id: 'c1:arguments', direction: 'arguments', reply_to: 'gatehouse.verdicts.gw-1', profile: 'default', payload: { query: 'hi alice@example.com' } }, clock),
  createEvent('verdict.decided', context, { correlation_id: 'c1:arguments', direction: 'arguments', decision: 'redact', profile: 'default', findings: [finding], payload: { query: 'hi [EMAIL]' }, reason: 'dlp:default' }, clock),
  createEvent('tool.call.received', context, { correlation_id: 'c1', arguments_bytes: 42 }, clock),
  createEvent('dlp.verdict', context, { correlation_id: 'c1:result', direction: 'result', decision: 'allow', profile: 'default', findings: [], payload_capture: 'redacted', payload: { content: [] }, scan_ms: 1.5 }, clock),
  createEvent('tool.call.completed', context, { correlation_id: 'c1', outcome: 'redacted', reason: 'dlp:default', latency_ms: 12 }, clock),
  createEvent('access.denied', { trace_id: 'trace-denied', gateway: 'gw-1', principal: { subject: 'anonymous', email: '', groups: [] } }, { reason: 'missing_token', detail: '' }, clock),
];

function decodeError(raw: string): EventDecodeError {
  try {
    decodeEvent(raw);
  } catch (error) {
    if (error instanceof EventDecodeError) return error;
    throw error;
  }
  throw new Error(`decodeEvent accepted ${raw}`);
}

function mutated(change: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(encodeEvent(oneOfEachType[2]!).toString()) as Record<string, unknown>;
  change(json);
  return JSON.stringify(json);
}

describe('event codec', () => {
  it.each(oneOfEachType.map((event) => [event.type, event] as const))('round-trips a %s event unchanged', (_type, event) => {
    const encoded = encodeEvent(event);

    expect(Buffer.isBuffer(encoded)).toBe(true);
    expect(decodeEvent(encoded)).toEqual(event);
    expect(decodeEvent(encoded.toString())).toEqual(event);
  });

  it('rejects a record that is not JSON, with a stable code', () => {
    const error = decodeError('{"type": "tool.call.received",');

    expect(error.code).toBe('GH_ERR_EVENT_INVALID');
    expect(error.message).toBe('record is not JSON');
  });

  it('names the version field when an event is not version 1', () => {
    expect(decodeError(mutated((json) => (json.version = 2))).message).toMatch(/^record is not a v1 event: version: /);
  });

  it('names the type field when the type is unknown', () => {
    expect(decodeError(mutated((json) => (json.type = 'tool.call.exploded'))).message).toMatch(/^record is not a v1 event: type: /);
  });

  it('names the nested field that is wrong', () => {
    const message = decodeError(mutated((json) => ((json.body as Record<string, unknown>).arguments_bytes = -1))).message;

    expect(message).toMatch(/^record is not a v1 event: body\.arguments_bytes: /);
  });

  it('names a missing envelope field', () => {
    expect(decodeError(mutated((json) => delete json.trace_id)).message).toMatch(/^record is not a v1 event: trace_id: /);
  });

  it('says (root) when the record is JSON but not an object', () => {
    expect(decodeError('42').message).toMatch(/^record is not a v1 event: \(root\): /);
    expect(decodeError('null').message).toMatch(/^record is not a v1 event: \(root\): /);
  });

  it('fills envelope defaults an older producer left out', () => {
    const decoded = decodeEvent(
      mutated((json) => {
        delete json.portal;
        delete json.server;
        delete json.tool;
      }),
    );

    expect(decoded).toMatchObject({ portal: '', server: '', tool: '' });
  });
});
