import { DlpProfileSchema, type DlpProfile } from './profile.ts';

export const DEFAULT_DLP_PROFILE_NAME = 'default';

/**
 * Profiles every config has; a config that defines a profile of the same name replaces it.
 * `default` redacts cards and SSNs, blocks every credential, and only audits emails and phone
 * numbers; `strict` redacts every finding of every detector at its default confidence; the
 * others cover one group each (as Cloudflare's and Google's predefined profiles do).
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, DlpProfile>> = Object.freeze({
  [DEFAULT_DLP_PROFILE_NAME]: DlpProfileSchema.parse({
    types: { credential: 'block' },
    detectors: {
      aws_access_key_id: 'block',
      email: 'audit',
      payment_card: 'redact',
      pem_private_key: 'block',
      phone: 'audit',
      us_ssn: 'redact',
    },
  }),
  strict: DlpProfileSchema.parse({
    types: { financial: 'redact', credential: 'redact', pii: 'redact', national_id: 'redact', health: 'redact' },
  }),
  financial: DlpProfileSchema.parse({ types: { financial: 'redact' } }),
  credentials: DlpProfileSchema.parse({ types: { credential: 'block' } }),
  pii: DlpProfileSchema.parse({ types: { pii: 'redact' } }),
  national_ids: DlpProfileSchema.parse({ types: { national_id: 'redact' } }),
  health: DlpProfileSchema.parse({ types: { health: 'redact' } }),
});

export const DEFAULT_DLP_PROFILE: DlpProfile = BUILT_IN_PROFILES[DEFAULT_DLP_PROFILE_NAME]!;
