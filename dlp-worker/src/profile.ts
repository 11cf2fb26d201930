import { z } from 'zod';
import { DEFAULT_MIN_CONFIDENCE, DETECTOR_TYPES, type Detector } from './detector.ts';

export const DlpActionSchema = z.enum(['block', 'redact', 'audit']);
export type DlpAction = z.infer<typeof DlpActionSchema>;

/**
 * `tag` replaces a value with `[REDACTED:<detector>]`; `mask` replaces its letters and digits with
 * `*`, keeping the last 4 where the detector allows (cards, IBANs, account numbers); `hash`
 * replaces it with `[REDACTED:<detector>:<12 hex of its keyed hash>]`, the same for the same value.
 */
export const RedactionStyleSchema = z.enum(['tag', 'mask', 'hash']);
export type RedactionStyle = z.infer<typeof RedactionStyleSchema>;

export const OversizeActionSchema = z.enum(['block', 'allow']);

/** An action, or an action with the lowest confidence at which a finding counts. */
const ActionSettingSchema = z.union([
  DlpActionSchema,
  z.object({ action: DlpActionSchema, min_confidence: z.number().min(0).max(1) }).strict(),
]);
type ActionSetting = z.infer<typeof ActionSettingSchema>;

/**
 * What a profile does with findings: `types` sets an action for every detector of a group,
 * `detectors` sets (or, with `off`, removes) one detector's and wins over its group. Detectors the
 * profile gives no action are not run. Detector ids are checked against the whole config (custom
 * detectors included) by DlpConfigSchema.
 */
export const DlpProfileSchema = z
  .object({
    types: z.partialRecord(z.enum(DETECTOR_TYPES), ActionSettingSchema).default({}),
    detectors: z.record(z.string(), z.union([ActionSettingSchema, z.literal('off')])).default({}),
    /** Overrides every detector's default minimum confidence; a per-detector `min_confidence` wins over it. */
    min_confidence: z.number().min(0).max(1).optional(),
    redaction: RedactionStyleSchema.default('tag'),
    /** Skip well-known test values (4111 1111 1111 1111, 4242…, documentation IBANs). */
    ignore_test_values: z.boolean().default(false),
    /** Overrides dlp.max_payload_chars and dlp.oversize for this profile. */
    max_payload_chars: z.number().int().min(1).optional(),
    oversize: OversizeActionSchema.optional(),
  })
  .strict();
export type DlpProfile = z.infer<typeof DlpProfileSchema>;
/** The input form (defaults not applied): what built-in profiles are written in. */
export type DlpProfileInput = z.input<typeof DlpProfileSchema>;

/** A profile together with the name the config gives it; verdict reasons name the profile. */
export type NamedDlpProfile = DlpProfile & { name: string };

export interface DetectorRule {
  action: DlpAction;
  minConfidence: number;
}

/** A profile resolved against a set of detectors: what to run and what to do with each finding. */
export interface CompiledProfile {
  name: string;
  rules: ReadonlyMap<string, DetectorRule>;
  /** Ids of the detectors to run. */
  enabled: ReadonlySet<string>;
  redaction: RedactionStyle;
  ignoreTestValues: boolean;
  maxPayloadChars: number;
  oversize: z.infer<typeof OversizeActionSchema>;
}

export function compileProfile(
  profile: NamedDlpProfile,
  detectors: readonly Detector[],
  limits: { maxPayloadChars: number; oversize: 'block' | 'allow' },
): CompiledProfile {
  const rules = new Map<string, DetectorRule>();
  const ruleOf = (detector: Detector, setting: ActionSetting): DetectorRule =>
    typeof setting === 'string'
      ? { action: setting, minConfidence: profile.min_confidence ?? detector.minConfidence ?? DEFAULT_MIN_CONFIDENCE }
      : { action: setting.action, minConfidence: setting.min_confidence };
  for (const detector of detectors) {
    const own = Object.hasOwn(profile.detectors, detector.id) ? profile.detectors[detector.id] : undefined;
    const byType = Object.hasOwn(profile.types, detector.type) ? profile.types[detector.type] : undefined;
    const setting = own ?? byType;
    if (setting !== undefined && setting !== 'off') rules.set(detector.id, ruleOf(detector, setting));
  }
  return {
    name: profile.name,
    rules,
    enabled: new Set(rules.keys()),
    redaction: profile.redaction,
    ignoreTestValues: profile.ignore_test_values,
    maxPayloadChars: profile.max_payload_chars ?? limits.maxPayloadChars,
    oversize: profile.oversize ?? limits.oversize,
  };
}
