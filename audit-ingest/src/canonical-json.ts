/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by the UTF-16 code units of their
 * names, no whitespace, strings and numbers serialized as ECMAScript's JSON.stringify does (which
 * is what RFC 8785 prescribes). The same value always gives the same bytes, so a hash of the
 * output identifies the value.
 *
 * It runs for every stored event, so the usual case goes through the engine's own
 * JSON.stringify: a copy whose members were added in canonical order serializes exactly as RFC
 * 8785 asks. JavaScript objects list integer-like names ("1", "10") first, in numeric order,
 * whatever order they were added in, so a value holding such a name is written member by member.
 */
export function canonicalJson(value: unknown): string {
  const ordered = inCanonicalOrder(value);
  return ordered === HAS_INTEGER_NAME ? writeMembers(value) : JSON.stringify(ordered);
}

const HAS_INTEGER_NAME = Symbol('an object with an integer-like member name');
const INTEGER_NAME = /^(?:0|[1-9]\d*)$/;

/** A copy with members in canonical order, or HAS_INTEGER_NAME; throws for what JSON cannot hold. */
function inCanonicalOrder(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return finite(value);
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const copy: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i += 1) {
          const element: unknown = value[i];
          // JSON.stringify writes an undefined element as null, as RFC 8785 does.
          const ordered = element === undefined ? null : inCanonicalOrder(element);
          if (ordered === HAS_INTEGER_NAME) return HAS_INTEGER_NAME;
          copy[i] = ordered;
        }
        return copy;
      }
      const record = value as Record<string, unknown>;
      const names = Object.keys(record);
      // Integer-like names always come first in Object.keys, so the first name tells.
      if (names.length > 0 && INTEGER_NAME.test(names[0]!)) return HAS_INTEGER_NAME;
      sortNames(names);
      const copy: Record<string, unknown> = {};
      for (const name of names) {
        const member = record[name];
        if (member === undefined) continue;
        const ordered = inCanonicalOrder(member);
        if (ordered === HAS_INTEGER_NAME) return HAS_INTEGER_NAME;
        // Assigning "__proto__" would set the copy's prototype instead of adding a member.
        if (name === '__proto__') Object.defineProperty(copy, name, { value: ordered, enumerable: true, writable: true, configurable: true });
        else copy[name] = ordered;
      }
      return copy;
    }
    default:
      throw unrepresentable(value);
  }
}

/** The same serialization, written member by member: for values whose member order a JavaScript object cannot hold. */
function writeMembers(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return JSON.stringify(finite(value));
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (i > 0) out += ',';
          out += value[i] === undefined ? 'null' : writeMembers(value[i]);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const names = Object.keys(record);
      sortNames(names);
      let out = '{';
      for (const name of names) {
        const member = record[name];
        if (member === undefined) continue;
        if (out.length > 1) out += ',';
        out += `${JSON.stringify(name)}:${writeMembers(member)}`;
      }
      return `${out}}`;
    }
    default:
      throw unrepresentable(value);
  }
}

/**
 * In UTF-16 code unit order, as RFC 8785 section 3.2.3 asks (what `<` and the default sort
 * compare). Members are few and often already in order, where insertion sort beats a general sort.
 */
function sortNames(names: string[]): void {
  if (names.length > 16) {
    names.sort();
    return;
  }
  for (let i = 1; i < names.length; i += 1) {
    const name = names[i]!;
    let j = i - 1;
    for (; j >= 0 && names[j]! > name; j -= 1) names[j + 1] = names[j]!;
    names[j + 1] = name;
  }
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no representation for ${value}`);
  return value;
}

function unrepresentable(value: unknown): TypeError {
  return new TypeError(`canonical JSON has no representation for a ${typeof value}`);
}
