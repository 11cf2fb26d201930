import { z } from 'zod';
import { builtInDetectorIds } from './detectors/index.ts';

export const DlpActionSchema = z.enum(['block', 'redact', 'audit']);
export type DlpAction = z.infer<typeof DlpActionSchema>;

/** `tag` replaces a value with `[REDACTED:<detector>]`; `mask` replaces its letters and digits with `*`, keeping a card's last 4. */
export const RedactionStyleSchema = z.enum(['tag', 'mask']);
export type RedactionStyle = z.infer<typeof RedactionStyleSchema>;

/** What a profile does with each detector's findings. Detectors it does not list are not run. */
export const DlpProfileSchema = z
  .object({
    detectors: z.record(z.string(), DlpActionSchema).superRefine((detectors, ctx) => {
      for (const id of Object.keys(detectors)) {
        if (builtInDetectorIds.includes(id)) continue;
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: `unknown detector "${id}"; known detectors: ${builtInDetectorIds.join(', ')}`,
        });
      }
    }),
    redaction: RedactionStyleSchema.default('tag'),
  })
  .strict();
export type DlpProfile = z.infer<typeof DlpProfileSchema>;

/** A profile together with the name the config gives it; verdict reasons name the profile. */
export type NamedDlpProfile = DlpProfile & { name: string };

/** Used when an invocation names `default` and the config does not define it. */
export const DEFAULT_DLP_PROFILE: DlpProfile = Object.freeze({
  detectors: Object.freeze({
    aws_access_key_id: 'block',
    email: 'audit',
    payment_card: 'redact',
    pem_private_key: 'block',
    phone: 'audit',
    us_ssn: 'redact',
  }),
  redaction: 'tag',
});

export const DEFAULT_DLP_PROFILE_NAME = 'default';

/**
 * The `dlp` section of the config. Always has a `default` profile after parsing: the built-in one
 * unless the config defines its own. When the whole section is optional in a parent schema, use
 * `DlpConfigSchema.prefault({})` so the default profile is still added.
 */
export const DlpConfigSchema = z
  .object({
    profiles: z.record(z.string().min(1), DlpProfileSchema).default({}),
  })
  .strict()
  .transform((config): { profiles: Record<string, DlpProfile> } => ({
    profiles: { [DEFAULT_DLP_PROFILE_NAME]: DEFAULT_DLP_PROFILE, ...config.profiles },
  }));
export type DlpConfig = z.infer<typeof DlpConfigSchema>;

/**
 * The profile an invocation names, or undefined when the config has none by that name. Names
 * come from events, so only the config's own keys count (never `constructor` or `__proto__`).
 */
export function resolveProfile(config: DlpConfig, name: string): NamedDlpProfile | undefined {
  if (Object.hasOwn(config.profiles, name)) return { name, ...config.profiles[name]! };
  if (name === DEFAULT_DLP_PROFILE_NAME) return { name, ...DEFAULT_DLP_PROFILE };
  return undefined;
}

/** The action a profile assigns to a detector, or undefined when the profile ignores it. */
export function actionFor(profile: DlpProfile, detectorId: string): DlpAction | undefined {
  return Object.hasOwn(profile.detectors, detectorId) ? profile.detectors[detectorId] : undefined;
}
