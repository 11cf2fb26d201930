import RE2 from 're2';
import { z } from 'zod';
import { DETECTOR_TYPES, type Detector } from './detector.ts';
import { isValidAbaRouting } from './validators/check-digits.ts';
import { isValidIban } from './validators/iban.ts';
import { passesLuhn } from './validators/luhn.ts';
import { VALUE_NORMALIZERS } from './value-normalizers.ts';

/** Checksums a custom detector may require of its matches. */
const CUSTOM_VALIDATORS = {
  none: () => true,
  luhn: (value: string) => passesLuhn(VALUE_NORMALIZERS.digits(value)),
  iban: (value: string) => isValidIban(VALUE_NORMALIZERS.alphanumeric(value)),
  aba: (value: string) => isValidAbaRouting(VALUE_NORMALIZERS.digits(value)),
} as const;

export const DetectorIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use snake_case: a-z, 0-9 and _, starting with a letter');

/** A detector written in the config: an RE2 pattern, an optional checksum, context words and member names. */
export const CustomDetectorSchema = z
  .object({
    id: DetectorIdSchema,
    type: z.enum(DETECTOR_TYPES),
    description: z.string().default('A detector defined in the config.'),
    /** RE2 syntax; a group named `value` narrows the finding to that group. */
    pattern: z.string().min(1),
    validator: z.enum(['none', 'luhn', 'iban', 'aba']).default('none'),
    confidence: z.number().min(0).max(1).default(0.8),
    min_confidence: z.number().min(0).max(1).optional(),
    /** Lowercase words that raise a match to `context_confidence` when near it or in its member name. */
    context_words: z.array(z.string().min(1).regex(/^[^A-Z]+$/, 'context words are lowercase')).default([]),
    context_confidence: z.number().min(0).max(1).default(0.95),
    /** Member names (e.g. employee_id) whose whole string value is this kind of data when the pattern matches all of it. */
    key_names: z.array(z.string().min(1)).default([]),
    mask_keep: z.number().int().min(0).max(8).default(0),
    /** Checked when the config is loaded: each positive must be found, each negative must not. */
    positives: z.array(z.string()).default([]),
    negatives: z.array(z.string()).default([]),
  })
  .strict();
export type CustomDetectorConfig = z.infer<typeof CustomDetectorSchema>;

export function customDetector(config: CustomDetectorConfig): Detector {
  const validate = CUSTOM_VALIDATORS[config.validator];
  const whole = new RE2(`^(?:${config.pattern})$`);
  const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return {
    id: config.id,
    type: config.type,
    description: config.description,
    pattern: config.pattern,
    validate: config.validator === 'none' ? undefined : validate,
    confidence: config.confidence,
    ...(config.min_confidence === undefined ? {} : { minConfidence: config.min_confidence }),
    ...(config.context_words.length === 0 ? {} : { context: { words: config.context_words, confidence: config.context_confidence } }),
    ...(config.key_names.length === 0
      ? {}
      : {
          keyed: {
            keys: config.key_names.map(normalize),
            accepts: (value: string) => whole.test(value) && validate(value),
            confidence: config.context_confidence,
          },
        }),
    maskKeep: config.mask_keep,
    positives: config.positives,
    negatives: config.negatives.map((text) => ({ text, reason: 'a negative example from the config' })),
  };
}
