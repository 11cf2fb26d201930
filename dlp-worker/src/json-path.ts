import { DlpError } from './errors.ts';

/**
 * JSON paths of findings. A member whose key itself holds a finding is named by its position,
 * `[#2]`, so the path never repeats the sensitive key; the key itself is addressed as
 * `<member path>~` (JSONPath-Plus's "property name" operator).
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Deeper payloads are refused rather than risking the stack; no tool payload legitimately nests this far. */
export const MAX_PAYLOAD_DEPTH = 1000;

export const ROOT_PATH = '$';

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function memberPath(parent: string, key: string, position: number, keyWithheld: boolean): string {
  if (keyWithheld) return `${parent}[#${position}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function keyPath(withheldMemberPath: string): string {
  return `${withheldMemberPath}~`;
}

/** What a value is, as far as a JSON walk cares; anything JSON cannot hold is refused. */
export type JsonKind = 'string' | 'number' | 'skip' | 'array' | 'object';

export function jsonKindOf(value: unknown, depth: number): JsonKind {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'skip';
  if (value === null || value === undefined || typeof value === 'boolean') return 'skip';
  if (typeof value !== 'object') throw unscannable(`it contains a ${typeof value}`);
  if (depth >= MAX_PAYLOAD_DEPTH) throw unscannable(`it is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  if (Array.isArray(value)) return 'array';
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return 'object';
  throw unscannable(`it contains a ${prototype?.constructor?.name ?? 'non-plain'} object`);
}

export function unscannable(why: string): DlpError {
  return new DlpError('GH_ERR_DLP_PAYLOAD_UNSCANNABLE', `payload is not a JSON value: ${why}`);
}
