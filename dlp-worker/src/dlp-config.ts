import RE2 from 're2';
import { z } from 'zod';
import { BUILT_IN_PROFILES, DEFAULT_DLP_PROFILE_NAME } from './built-in-profiles.ts';
import { CustomDetectorSchema, customDetector } from './custom-detectors.ts';
import { builtInDetectorIds } from './detectors/index.ts';
import { ExactListSchema } from './exact-lists.ts';
import { DlpPolicySchema, selectorKey } from './policy.ts';
import { DlpProfileSchema, OversizeActionSchema, type DlpProfile, type NamedDlpProfile } from './profile.ts';
import { createTextScanner } from './text-scanner.ts';

/** Secrets are never written in the config: `{ env: NAME }` names the variable the CLI reads. */
const EnvRefSchema = z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict();

/** Largest payload scanned by default, in characters of its strings, member names and numbers. */
export const DEFAULT_MAX_PAYLOAD_CHARS = 4 * 1024 * 1024;

const DlpSectionSchema = z
  .object({
    profiles: z.record(z.string().min(1), DlpProfileSchema).default({}),
    policies: z.array(DlpPolicySchema).default([]),
    custom_detectors: z.array(CustomDetectorSchema).default([]),
    exact_lists: z.array(ExactListSchema).default([]),
    /** The key of the keyed hashes (HMAC-SHA256) on findings, in hash redaction and in exact lists. */
    hash_key: EnvRefSchema.optional(),
    max_payload_chars: z.number().int().min(1).default(DEFAULT_MAX_PAYLOAD_CHARS),
    /** A payload over the limit is blocked, or allowed unscanned with a note in the verdict and the audit trail. */
    oversize: OversizeActionSchema.default('block'),
  })
  .strict();
type DlpSection = z.infer<typeof DlpSectionSchema>;

/**
 * The `dlp` section of the config. After parsing, `profiles` holds the built-in profiles
 * (default, strict, financial, credentials, pii, national_ids, health) plus the config's own, which
 * replace built-ins of the same name. When the whole section is optional in a parent schema, use
 * `DlpConfigSchema.prefault({})` so the built-ins are still added.
 */
export const DlpConfigSchema = DlpSectionSchema.superRefine(checkSection).transform((section) => ({
  ...section,
  profiles: { ...BUILT_IN_PROFILES, ...section.profiles } as Record<string, DlpProfile>,
}));
export type DlpConfig = z.infer<typeof DlpConfigSchema>;

function checkSection(section: DlpSection, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const known = new Set(builtInDetectorIds);
  const addId = (id: string, path: PropertyKey[]) => {
    if (known.has(id)) issue(path, `detector id "${id}" is already taken (built-in or defined above); choose another`);
    known.add(id);
  };

  section.custom_detectors.forEach((custom, index) => {
    addId(custom.id, ['custom_detectors', index, 'id']);
    const problem = examplesProblem(custom);
    if (problem) issue(['custom_detectors', index, problem.field], problem.message);
  });
  section.exact_lists.forEach((list, index) => {
    addId(list.id, ['exact_lists', index, 'id']);
    const problem = re2Problem(list.pattern);
    if (problem) issue(['exact_lists', index, 'pattern'], problem);
  });

  for (const [name, profile] of Object.entries(section.profiles)) {
    for (const id of Object.keys(profile.detectors)) {
      if (!known.has(id)) issue(['profiles', name, 'detectors', id], `unknown detector "${id}"; known detectors: ${[...known].sort().join(', ')}`);
    }
  }

  const profiles = new Set([...Object.keys(BUILT_IN_PROFILES), ...Object.keys(section.profiles)]);
  const seen = new Map<string, number>();
  section.policies.forEach((policy, index) => {
    if (!profiles.has(policy.profile)) {
      issue(['policies', index, 'profile'], `no DLP profile "${policy.profile}"; define it under dlp.profiles or use one of: ${[...profiles].join(', ')}`);
    }
    const key = selectorKey(policy);
    const earlier = seen.get(key);
    if (earlier !== undefined) issue(['policies', index], `selects the same calls as policies[${earlier}]; merge them`);
    seen.set(key, index);
  });

  const usesHash = Object.values(section.profiles).some((profile) => profile.redaction === 'hash');
  if ((section.exact_lists.length > 0 || usesHash) && section.hash_key === undefined) {
    issue(['hash_key'], 'exact_lists and redaction: hash need a stable key: set hash_key: { env: NAME } and export a long random value');
  }
}

function re2Problem(pattern: string): string | undefined {
  try {
    new RE2(pattern);
    return undefined;
  } catch (error) {
    return `RE2 rejects the pattern (no lookaround or backreferences): ${(error as Error).message}`;
  }
}

/** Compiles a custom detector and runs its own examples through a scanner of just it. */
function examplesProblem(custom: z.infer<typeof CustomDetectorSchema>): { field: string; message: string } | undefined {
  const problem = re2Problem(custom.pattern);
  if (problem) return { field: 'pattern', message: problem };
  const detector = customDetector(custom);
  const scanner = createTextScanner([detector]);
  const missed = custom.positives.find((text) => scanner.scanTexts([text]).length === 0);
  if (missed !== undefined) return { field: 'positives', message: `the pattern does not find positive example ${JSON.stringify(missed)}` };
  const found = custom.negatives.find((text) => scanner.scanTexts([text]).length > 0);
  if (found !== undefined) return { field: 'negatives', message: `the pattern finds negative example ${JSON.stringify(found)}` };
  return undefined;
}

/**
 * The profile an invocation names, or undefined when the config has none by that name. Names
 * come from events, so only the config's own keys count (never `constructor` or `__proto__`).
 */
export function resolveProfile(config: DlpConfig, name: string): NamedDlpProfile | undefined {
  if (Object.hasOwn(config.profiles, name)) return { name, ...config.profiles[name]! };
  if (name === DEFAULT_DLP_PROFILE_NAME) return { name, ...BUILT_IN_PROFILES[DEFAULT_DLP_PROFILE_NAME]! };
  return undefined;
}
