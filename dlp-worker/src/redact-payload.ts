import type { Finding } from '../../events/src/index.ts';
import { ROOT_PATH, indexPath, jsonKindOf, keyPath, memberPath } from './json-path.ts';
import type { DlpAction } from './profile.ts';
import { redactText, type RedactTextOptions } from './redact-text.ts';

export interface RedactOptions extends RedactTextOptions {
  /** Which findings to replace: `redact` for what travels on; every action for what the audit trail keeps. */
  actions: readonly DlpAction[];
}

/**
 * A copy of `payload` with the selected findings replaced inside their string leaves and keys.
 * The copy has the same shape (same keys, array lengths and nesting) and is valid JSON; a number
 * leaf holding a finding becomes a string. Redacted keys that would collide with a sibling get a
 * `#2`, `#3`... suffix so no member is lost. Objects and arrays holding no finding are the
 * payload's own, not copies: callers never mutate either, and most of a payload holds none.
 *
 * `findings` must be everything scanPayload returned for this payload and profile, not a
 * subset: withheld keys change the paths below them, and the walk recomputes those paths.
 */
export function redactPayload(payload: unknown, findings: readonly Finding[], options: RedactOptions): unknown {
  // Nothing to replace: the payload itself is the copy (callers never mutate it), and the walk is saved.
  if (!findings.some((finding) => options.actions.includes(finding.action))) return payload;
  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) {
    const atPath = byPath.get(finding.path);
    if (atPath) atPath.push(finding);
    else byPath.set(finding.path, [finding]);
  }
  const selected = (path: string): readonly Finding[] => {
    const atPath = byPath.get(path);
    return atPath === undefined ? NONE : atPath.filter((f) => options.actions.includes(f.action));
  };
  const holdsFindings = pathsUnder(findings.filter((f) => options.actions.includes(f.action)).map((f) => f.path));
  // Only a finding in a key withholds it; without one, no member needs the look-up.
  const keysHoldFindings = findings.some((finding) => finding.path.endsWith('~'));

  const copy = (value: unknown, path: string, depth: number): unknown => {
    const kind = jsonKindOf(value, depth);
    if (kind === 'string' || kind === 'number') {
      const toRedact = selected(path);
      return toRedact.length > 0 ? redactText(String(value), toRedact, options) : value;
    }
    if ((kind === 'array' || kind === 'object') && !holdsFindings(path)) return value;
    if (kind === 'array') return (value as unknown[]).map((item, i) => copy(item, indexPath(path, i), depth + 1));
    if (kind === 'object') return copyObject(value as Record<string, unknown>, path, depth);
    return value;
  };

  const copyObject = (object: Record<string, unknown>, path: string, depth: number): Record<string, unknown> => {
    const entries = Object.entries(object);
    const members = entries.map(([key, child], position) => {
      const withheld = keysHoldFindings && byPath.has(keyPath(memberPath(path, key, position, true)));
      const member = memberPath(path, key, position, withheld);
      const keyFindings = withheld ? selected(keyPath(member)) : [];
      const redactedKey = keyFindings.length > 0 ? redactText(key, keyFindings, options) : undefined;
      return { key, redactedKey, value: copy(child, member, depth + 1) };
    });
    const taken = new Set(members.filter((m) => m.redactedKey === undefined).map((m) => m.key));
    // fromEntries defines own properties, so a `__proto__` key stays a key instead of a prototype.
    return Object.fromEntries(
      members.map(({ key, redactedKey, value }) => {
        if (redactedKey === undefined) return [key, value];
        let unique = redactedKey;
        for (let n = 2; taken.has(unique); n++) unique = `${redactedKey}#${n}`;
        taken.add(unique);
        return [unique, value];
      }),
    );
  };

  return copy(payload, ROOT_PATH, 0);
}

const NONE: readonly Finding[] = [];

/**
 * Whether any of `paths` lies at or below a path: is the path, or continues it with `.`, `[` or
 * `~`. Each is a binary search of the sorted paths: siblings whose names merely start the same
 * (`$.ab` beside `$.a`) are never stepped over one by one.
 */
function pathsUnder(paths: string[]): (path: string) => boolean {
  paths.sort();
  const firstFrom = (prefix: string): string | undefined => {
    let low = 0;
    let high = paths.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (paths[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    return paths[low];
  };
  const startsWith = (prefix: string) => firstFrom(prefix)?.startsWith(prefix) === true;
  return (path) => firstFrom(path) === path || startsWith(`${path}.`) || startsWith(`${path}[`) || startsWith(`${path}~`);
}
