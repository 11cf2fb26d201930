import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asIsCheck } from '../src/as-is-check.ts';
import { createEvent, decodeEvent, EventSchema, type Clock, type Event, type EventContext } from '../src/index.ts';

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00.000Z') };
const context: EventContext = {
  trace_id: 'trace-as-is',
  gateway: 'gw-1',
  principal: { subject: 'alice', email: 'alice@example.com', groups: ['eng', 'support'] },
  portal: 'default',
  server: 'crm',
  tool: 'lookup',
};
const finding = { detector: 'email', type: 'pii', path: '$.query', start: 3, end: 20, confidence: 0.9, action: 'redact' as const, hash: 'a'.repeat(64) };

const oneOfEachType: Event[] = [
  createEvent('invocation.requested', context, { correlation_id: 'c1:arguments', direction: 'arguments', reply_to: 'gatehouse.verdicts.gw-1', profile: 'default', payload: { query: 'hi' } }, clock),
  createEvent('verdict.decided', context, { correlation_id: 'c1:arguments', direction: 'arguments', decision: 'redact', profile: 'default', findings: [finding], payload: { query: 'hi [EMAIL]' }, reason: 'dlp:default' }, clock),
  createEvent('tool.call.received', context, { correlation_id: 'c1', operation: 'prompts/get', arguments_bytes: 42 }, clock),
  createEvent('dlp.verdict', context, { correlation_id: 'c1:result', direction: 'result', decision: 'allow', profile: 'default', findings: [finding], payload_capture: 'redacted', payload: { content: [] }, scan_ms: 1.5 }, clock),
  createEvent('tool.call.completed', context, { correlation_id: 'c1', outcome: 'redacted', reason: 'dlp:default', latency_ms: 12 }, clock),
  createEvent('access.denied', context, { reason: 'portal_denied', detail: 'not in group', rule: 'portals[0].access' }, clock),
  createEvent('auth.signed_in', context, { method: 'oidc' }, clock),
  createEvent('config.changed', context, { file: 'gatehouse.yaml', sha256: 'b'.repeat(64), applied: true, changes: ['portals[demo]'] }, clock),
  createEvent('tool.definition.changed', context, { approved_fingerprint: 'f1', new_fingerprint: 'f2', summary: ['description changed'], action: 'withheld' }, clock),
].map((event) => ({ ...event, span_id: '0123456789abcdef' }));

const REPLACEMENTS: unknown[] = [undefined, null, 0, -1, 1.5, 2 ** 53, '', 'x', '€', 'arguments', 'block', 'redact', '00000000-0000-0000-0000-000000000000', '2026-03-01T12:00:00Z', '2026-02-30T12:00:00.000Z', [], ['x'], {}, true, false];

/** Every place in a JSON value, as a path of keys. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return [at, ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...at, key]))];
}

function withReplaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  if (path.length === 0) return replacement;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === undefined && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** The event with each of its places changed in turn: removed, replaced by another kind of value, or given an unknown member. */
function variants(event: Event): unknown[] {
  const json = JSON.parse(JSON.stringify(event)) as unknown;
  const out: unknown[] = [];
  for (const path of paths(json)) {
    for (const replacement of REPLACEMENTS) out.push(withReplaced(json, path, replacement));
    const place = path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], json);
    if (place !== null && typeof place === 'object' && !Array.isArray(place)) out.push(withReplaced(json, [...path, 'unknown_member'], 1));
  }
  return out;
}

describe('the as-is check of events', () => {
  const isAsIs = asIsCheck(EventSchema);

  it('takes every type of valid event as it is: decoding returns the parsed record itself, not a copy', () => {
    for (const event of oneOfEachType) {
      const json = JSON.parse(JSON.stringify(event)) as unknown;
      expect(isAsIs(json), event.type).toBe(true);
      expect(EventSchema.parse(json)).toEqual(json);
    }
  });

  it('answers true only for what the schema gives back unchanged, over every field of every type removed, retyped or extended', () => {
    let asIs = 0;
    let copied = 0;
    let rejected = 0;
    for (const event of oneOfEachType) {
      for (const value of variants(event)) {
        const parsed = EventSchema.safeParse(value);
        if (isAsIs(value)) {
          asIs += 1;
          expect(parsed.success, JSON.stringify(value)).toBe(true);
          expect(parsed.data).toEqual(value);
        } else if (parsed.success) copied += 1;
        else rejected += 1;
        // Whichever way, decoding gives what the schema gives, or rejects what it rejects.
        const decoded = (() => {
          try {
            return { ok: decodeEvent(JSON.stringify(value) ?? '') };
          } catch {
            return { failed: true };
          }
        })();
        expect(decoded).toEqual(parsed.success ? { ok: parsed.data } : { failed: true });
      }
    }
    // Each branch is exercised: values taken as they are, values the schema completes (a default filled in, an unknown member dropped), values it rejects.
    expect(asIs).toBeGreaterThan(100);
    expect(copied).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('leaves to zod whatever kind of schema or check it does not know', () => {
    const check = asIsCheck(z.object({ url: z.url(), n: z.number().multipleOf(2), when: z.date(), tags: z.array(z.string()).min(1), either: z.union([z.string(), z.number()]) }));
    expect(check({ url: 'https://example.com', n: 2, when: 'x', tags: ['a'], either: 'a' })).toBe(false);
    expect(asIsCheck(z.object({ url: z.url() }))({ url: 'https://example.com' })).toBe(true);
    expect(asIsCheck(z.object({ url: z.url() }))({ url: 'not a url' })).toBe(false);
    expect(asIsCheck(z.object({ n: z.number().multipleOf(2) }))({ n: 3 })).toBe(false);
    expect(asIsCheck(z.object({ tags: z.array(z.string()).min(1) }))({ tags: ['a'] })).toBe(false);
    expect(asIsCheck(z.object({ a: z.string() }).passthrough())({ a: 'x' })).toBe(false);
    // zod counts code points: one key is two UTF-16 units but one character.
    expect(asIsCheck(z.object({ a: z.string().min(2) }))({ a: '🔑🔑' })).toBe(true);
    expect(asIsCheck(z.object({ a: z.string().min(2) }))({ a: '🔑' })).toBe(false);
    expect(asIsCheck(z.object({ a: z.string().min(2) }))({ a: 'x' })).toBe(false);
  });
});
