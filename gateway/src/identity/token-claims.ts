import type { JWTPayload } from 'jose';

/**
 * A claim by name, or by a dotted path into nested objects (`realm_access.roles`). The exact name
 * is tried first, since providers also use URLs with dots as claim names
 * (`https://example.com/groups`).
 */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Groups as a list: an array of strings, or one string naming one group. `undefined` when the claim is absent. */
export function readGroups(payload: JWTPayload, claim: string): { groups: string[] } | { invalid: true } | undefined {
  const value = readClaim(payload, claim);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { groups: [value] };
  if (Array.isArray(value) && value.every((group) => typeof group === 'string')) return { groups: value };
  return { invalid: true };
}

/** Scopes from `scope` (space-separated, RFC 9068) or `scp` (a list or a string, as some providers send). */
export function readScopes(payload: JWTPayload): string[] {
  for (const value of [payload['scope'], payload['scp']]) {
    if (typeof value === 'string') return value.split(' ').filter(Boolean);
    if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  }
  return [];
}

export function readEmail(payload: JWTPayload, claim: string): string {
  const value = readClaim(payload, claim);
  return typeof value === 'string' ? value : '';
}
