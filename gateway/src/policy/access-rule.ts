import type { Principal } from '../../../events/src/index.ts';
import type { AccessRule } from '../config-schema.ts';

/** Whether a caller passes an access rule; no rule lets every authenticated caller through. */
export function allowedBy(rule: AccessRule | undefined, principal: Principal): boolean {
  if (!rule) return true;
  const email = principal.email.toLowerCase();
  const domain = email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '';
  return (
    rule.groups.some((group) => principal.groups.includes(group)) ||
    rule.emails.some((allowed) => allowed.toLowerCase() === email) ||
    (domain !== '' && rule.email_domains.some((allowed) => allowed.toLowerCase() === domain))
  );
}
