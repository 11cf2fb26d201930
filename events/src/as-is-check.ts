import type { z } from 'zod';

/** Whether a value parsed from JSON can be used as it is; see asIsCheck. */
export type AsIsCheck = (value: unknown) => boolean;

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & Record<string, unknown>;

const never: AsIsCheck = () => false;

/**
 * A check that a value parsed from JSON is already exactly what `schema` parses it to: every key
 * known, every default present, every leaf valid. Such a value can be used as it is, without the
 * copy zod makes of every object and array.
 *
 * It is built from the schema's definition, so it follows the schema as it changes. It answers
 * false whenever it is in doubt (an unknown key, a missing default, a kind of schema or check it
 * does not know), and the caller then parses with zod, which gives the value or the reason. A
 * leaf's checks are tested here only where that is sure (a pattern, a length, a bound); any other
 * check, and any value that fails such a test, is left to zod.
 */
export function asIsCheck(schema: Schema): AsIsCheck {
  const def = schema._zod.def as Def;
  const composite = def.type === 'object' || def.type === 'array' || def.type === 'union';
  if (composite && (def.checks?.length ?? 0) > 0) return never;
  switch (def.type) {
    case 'object':
      return objectCheck(def.shape as Record<string, Schema>, def.catchall as Schema | undefined);
    case 'array':
      return arrayCheck(asIsCheck(def.element as Schema));
    case 'union':
      return typeof def.discriminator === 'string' ? discriminatedCheck(def.discriminator, def.options as Schema[]) : never;
    case 'optional':
      return optionalCheck(asIsCheck(def.innerType as Schema));
    case 'default':
      return definedCheck(asIsCheck(def.innerType as Schema));
    case 'unknown':
    case 'any':
      return () => true;
    case 'string':
    case 'number':
    case 'boolean':
    case 'literal':
    case 'enum':
      return leafCheck(schema, def);
    default:
      return never;
  }
}

/**
 * A leaf passes when its type and each of its checks surely pass by a test of our own; otherwise
 * zod decides, so a check we only approximate (or do not know) can never let a bad value through.
 */
function leafCheck(schema: Schema, def: Def): AsIsCheck {
  if (def.coerce) return never;
  // A string format (z.uuid(), z.iso.datetime()) is a check of its own, with its check in its definition.
  const checks = [...(def.check === undefined ? [] : [def]), ...(def.checks ?? []).map((check) => check._zod.def as unknown as Def)];
  const surely = [surelyOfType(schema, def), ...checks.map(surelyPasses)];
  const byZod: AsIsCheck = (value) => {
    const parsed = (schema as z.ZodType).safeParse(value);
    return parsed.success && parsed.data === value;
  };
  return (value) => surely.every((test) => test(value)) || byZod(value);
}

function surelyOfType(schema: Schema, def: Def): AsIsCheck {
  switch (def.type) {
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    default: {
      const values = schema._zod.values;
      return values ? (value) => values.has(value as never) : never;
    }
  }
}

/** Formats whose check is their pattern alone. */
const PATTERN_FORMATS = new Set(['uuid', 'regex', 'datetime']);

function surelyPasses(check: Def): AsIsCheck {
  switch (check.check) {
    case 'min_length': {
      // zod counts code points; a string of twice as many UTF-16 units surely has enough
      const minimum = check.minimum as number;
      return (value) => (value as string).length >= minimum * 2;
    }
    case 'string_format': {
      const pattern = check.pattern as RegExp | undefined;
      if (!pattern || !PATTERN_FORMATS.has(check.format as string)) return never;
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    }
    case 'number_format':
      return check.format === 'safeint' ? (value) => Number.isSafeInteger(value) : never;
    case 'greater_than': {
      const bound = check.value;
      if (typeof bound !== 'number') return never;
      return check.inclusive ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
    }
    case 'less_than': {
      const bound = check.value;
      if (typeof bound !== 'number') return never;
      return check.inclusive ? (value) => (value as number) <= bound : (value) => (value as number) < bound;
    }
    default:
      return never;
  }
}

function optionalCheck(inner: AsIsCheck): AsIsCheck {
  return (value) => value === undefined || inner(value);
}

/** A defaulted value that is absent is not as is: zod fills it in. */
function definedCheck(inner: AsIsCheck): AsIsCheck {
  return (value) => value !== undefined && inner(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectCheck(shape: Record<string, Schema>, catchall: Schema | undefined): AsIsCheck {
  if (catchall !== undefined) return never;
  const fields = Object.entries(shape).map(([key, field]) => ({ key, check: asIsCheck(field), mayBeAbsent: isLeftAbsent(field) }));
  const known = new Set(fields.map(({ key }) => key));
  return (value) => {
    if (!isPlainObject(value)) return false;
    for (const { key, check, mayBeAbsent } of fields) {
      const field = value[key];
      if (field === undefined ? !mayBeAbsent : !check(field)) return false;
    }
    // zod drops keys its schema does not know
    for (const key in value) if (!known.has(key)) return false;
    return true;
  };
}

/** An optional field that zod leaves absent when it is (one whose inner schema has no default to fill in). */
function isLeftAbsent(field: Schema): boolean {
  return field._zod.def.type === 'optional' && field._zod.optin === 'optional';
}

function arrayCheck(element: AsIsCheck): AsIsCheck {
  return (value) => Array.isArray(value) && value.every((item) => element(item));
}

function discriminatedCheck(discriminator: string, options: readonly Schema[]): AsIsCheck {
  const byValue = new Map<unknown, AsIsCheck>();
  for (const option of options) {
    const check = asIsCheck(option);
    const values = (option._zod.def as Def).type === 'object' ? (option._zod.def as Def & { shape: Record<string, Schema> }).shape[discriminator]?._zod.values : undefined;
    if (!values) return never;
    for (const value of values) if (!byValue.has(value)) byValue.set(value, check);
  }
  return (value) => {
    if (!isPlainObject(value)) return false;
    const check = byValue.get(value[discriminator]);
    return check !== undefined && check(value);
  };
}
