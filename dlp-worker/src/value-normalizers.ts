import { z } from 'zod';

/**
 * Canonical forms of a value before it is hashed, so "4111 1111 1111 1111" and
 * "4111-1111-1111-1111" give one hash, and an exact-match list matches however a value is written.
 */
export const VALUE_NORMALIZERS = {
  none: (value: string) => value,
  lowercase: (value: string) => value.toLowerCase(),
  digits: (value: string) => value.replace(/[^0-9]/g, ''),
  alphanumeric: (value: string) => value.replace(/[^A-Za-z0-9]/g, '').toUpperCase(),
} as const;

export const ValueNormalizerSchema = z.enum(['none', 'lowercase', 'digits', 'alphanumeric']);
export type ValueNormalizer = z.infer<typeof ValueNormalizerSchema>;
