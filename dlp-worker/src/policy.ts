import { z } from 'zod';

export const DirectionSchema = z.enum(['arguments', 'result']);

/**
 * Which profile scans a call, by where it goes: any of portal, server (the upstream's name in the
 * config), tool (the upstream's own tool name) and direction; the profile must exist.
 */
export const DlpPolicySchema = z
  .object({
    portal: z.string().min(1).optional(),
    server: z.string().min(1).optional(),
    tool: z.string().min(1).optional(),
    direction: DirectionSchema.optional(),
    profile: z.string().min(1),
  })
  .strict()
  .refine((policy) => SELECTORS.some((selector) => policy[selector] !== undefined), {
    message: 'a policy needs at least one of portal, server, tool, direction; the portal\'s dlp_profile covers everything else',
  });
export type DlpPolicy = z.infer<typeof DlpPolicySchema>;

const SELECTORS = ['tool', 'server', 'portal', 'direction'] as const;

/** What a call is, as far as picking a profile goes. `profile` is the portal's dlp_profile. */
export interface CallSelection {
  portal: string;
  server: string;
  tool: string;
  direction: z.infer<typeof DirectionSchema>;
  profile: string;
}

/**
 * How specific a policy is. A policy naming a tool beats one naming a server, which beats one
 * naming a portal, which beats one naming only a direction; within that, naming more wins. The
 * weights are powers of two, so no combination of less specific selectors outweighs a more
 * specific one.
 */
export function specificity(policy: DlpPolicy): number {
  return SELECTORS.reduce((score, selector, i) => score + (policy[selector] === undefined ? 0 : 2 ** (SELECTORS.length - i)), 0);
}

/** The selectors a policy names, as one string: two policies with the same one are ambiguous. */
export function selectorKey(policy: DlpPolicy): string {
  return SELECTORS.map((selector) => `${selector}=${policy[selector] ?? '*'}`).join(' ');
}

/** The profile for a call: the most specific matching policy's, else the portal's own. */
export function selectProfile(policies: readonly DlpPolicy[], call: CallSelection): string {
  let best: DlpPolicy | undefined;
  let bestScore = -1;
  for (const policy of policies) {
    const matches = SELECTORS.every((selector) => policy[selector] === undefined || policy[selector] === call[selector]);
    if (matches && specificity(policy) > bestScore) {
      best = policy;
      bestScore = specificity(policy);
    }
  }
  return best?.profile ?? call.profile;
}
