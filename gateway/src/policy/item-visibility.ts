import type { Principal } from '../../../events/src/index.ts';
import type { ItemPolicy } from '../config-schema.ts';
import { allowedBy } from './access-rule.ts';

export type Visibility =
  | { visible: true; description?: string }
  /** `rule` is the setting that hid the item, relative to its server (e.g. `tools.rules.delete_row.enabled`). */
  | { visible: false; rule: string };

/**
 * Whether one tool or prompt of a server is offered to a caller, and with which description. `kind` names the policy in rule paths (`tools` or `prompts`).
 */
export function itemVisibility(
  kind: 'tools' | 'prompts',
  policy: ItemPolicy,
  item: { name: string; annotations?: { readOnlyHint?: boolean } },
  principal: Principal,
): Visibility {
  const rule = Object.hasOwn(policy.rules, item.name) ? policy.rules[item.name] : undefined;
  const named = policy.allow.includes(item.name);
  if (rule && !rule.enabled) return { visible: false, rule: `${kind}.rules.${item.name}.enabled` };
  if (policy.mode === 'allow_list' && !named) return { visible: false, rule: `${kind}.mode` };
  if (kind === 'tools' && policy.read_only && item.annotations?.readOnlyHint !== true && !named) {
    return { visible: false, rule: `${kind}.read_only` };
  }
  if (rule?.access && !allowedBy(rule.access, principal)) return { visible: false, rule: `${kind}.rules.${item.name}.access` };
  return rule?.description ? { visible: true, description: rule.description } : { visible: true };
}
