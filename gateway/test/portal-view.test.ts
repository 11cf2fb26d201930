import { describe, expect, it } from 'vitest';
import type { Principal } from '../../events/src/index.ts';
import { ItemPolicySchema, type AccessRule } from '../src/config-schema.ts';
import { allowedBy } from '../src/policy/access-rule.ts';
import { toolsOffered, type PortalPolicy } from '../src/policy/portal-view.ts';
import type { CatalogEntry } from '../src/tool-catalog.ts';
import type { UpstreamConnection, UpstreamTool } from '../src/upstream/index.ts';

const support: Principal = { subject: 'sam', email: 'sam@example.com', groups: ['support'] };
const finance: Principal = { subject: 'fay', email: 'fay@corp.example.org', groups: ['finance'] };

const upstream = { name: 'x' } as UpstreamConnection;
function entry(server: string, name: string, annotations?: UpstreamTool['annotations']): CatalogEntry {
  return { server, upstreamName: name, upstream, definition: { name, description: `${name} tool`, inputSchema: { type: 'object' }, ...(annotations ? { annotations } : {}) } };
}

function portal(servers: Array<{ name: string; access?: AccessRule; tools?: unknown }>, options: Partial<PortalPolicy> = {}): PortalPolicy {
  return {
    name: 'main',
    toolPrefix: true,
    toolSeparator: '__',
    servers: servers.map((server) => ({ name: server.name, access: server.access, tools: ItemPolicySchema.parse(server.tools ?? {}), prompts: ItemPolicySchema.parse({}) })),
    ...options,
  };
}

const rule = (groups: string[] = [], emails: string[] = [], email_domains: string[] = []): AccessRule => ({ groups, emails, email_domains });

describe('access rules', () => {
  it('let in a caller by group, by email or by email domain, and everyone when absent', () => {
    expect(allowedBy(undefined, finance)).toBe(true);
    expect(allowedBy(rule(['support']), support)).toBe(true);
    expect(allowedBy(rule(['support']), finance)).toBe(false);
    expect(allowedBy(rule([], ['FAY@corp.example.org']), finance)).toBe(true);
    expect(allowedBy(rule([], [], ['example.com']), support)).toBe(true);
    expect(allowedBy(rule([], [], ['example.com']), finance)).toBe(false);
    expect(allowedBy(rule([], [], ['example.org']), finance)).toBe(false);
  });
});

describe('tools offered to a caller', () => {
  const entries = [entry('crm', 'lookup', { readOnlyHint: true }), entry('crm', 'delete_customer'), entry('ledger', 'balance', { readOnlyHint: true })];

  it('names tools <server><separator><tool>, or the bare name without a prefix', () => {
    expect(toolsOffered(portal([{ name: 'crm' }, { name: 'ledger' }]), entries, support).list().map((tool) => tool.name)).toEqual(['crm__lookup', 'crm__delete_customer', 'ledger__balance']);
    expect(toolsOffered(portal([{ name: 'crm' }], { toolSeparator: '.' }), entries, support).list().map((tool) => tool.name)).toEqual(['crm.lookup', 'crm.delete_customer']);
    const bare = toolsOffered(portal([{ name: 'crm' }], { toolPrefix: false }), entries, support);
    expect(bare.list().map((tool) => tool.name)).toEqual(['lookup', 'delete_customer']);
    expect(bare.lookup('lookup')).toMatchObject({ offered: true, tool: { entry: { server: 'crm', upstreamName: 'lookup' } } });
  });

  it('shows two users in different groups different tools on the same portal, and names the rule that hides them', () => {
    const policy = portal([{ name: 'crm', access: rule(['support']) }, { name: 'ledger', access: rule(['finance']) }]);
    expect(toolsOffered(policy, entries, support).list().map((tool) => tool.name)).toEqual(['crm__lookup', 'crm__delete_customer']);
    expect(toolsOffered(policy, entries, finance).list().map((tool) => tool.name)).toEqual(['ledger__balance']);
    expect(toolsOffered(policy, entries, finance).lookup('crm__lookup')).toEqual({ offered: false, rule: 'portals[main].servers[crm].access' });
    expect(toolsOffered(policy, entries, finance).lookup('crm__nonexistent')).toEqual({ offered: false });
  });

  it('disables a tool by rule, and in allow-list mode offers only the tools named', () => {
    const disabled = toolsOffered(portal([{ name: 'crm', tools: { rules: { delete_customer: { enabled: false } } } }]), entries, support);
    expect(disabled.list().map((tool) => tool.name)).toEqual(['crm__lookup']);
    expect(disabled.lookup('crm__delete_customer')).toEqual({ offered: false, rule: 'portals[main].servers[crm].tools.rules.delete_customer.enabled' });

    const allowList = toolsOffered(portal([{ name: 'crm', tools: { mode: 'allow_list', allow: ['delete_customer'] } }]), entries, support);
    expect(allowList.list().map((tool) => tool.name)).toEqual(['crm__delete_customer']);
    expect(allowList.lookup('crm__lookup')).toEqual({ offered: false, rule: 'portals[main].servers[crm].tools.mode' });
  });

  it('in read-only mode offers only tools annotated readOnlyHint, plus those allowed by name', () => {
    const readOnly = toolsOffered(portal([{ name: 'crm', tools: { read_only: true } }]), entries, support);
    expect(readOnly.list().map((tool) => tool.name)).toEqual(['crm__lookup']);
    expect(readOnly.lookup('crm__delete_customer')).toEqual({ offered: false, rule: 'portals[main].servers[crm].tools.read_only' });
    const excepted = toolsOffered(portal([{ name: 'crm', tools: { read_only: true, allow: ['delete_customer'] } }]), entries, support);
    expect(excepted.list().map((tool) => tool.name)).toEqual(['crm__lookup', 'crm__delete_customer']);
  });

  it('offers a tool under its alias with the overridden description, and resolves the alias to the upstream name', () => {
    const aliased = toolsOffered(portal([{ name: 'crm', tools: { rules: { lookup: { alias: 'find_customer', description: 'Find a customer by id' } } } }]), entries, support);
    expect(aliased.list()[0]).toMatchObject({ name: 'crm__find_customer', description: 'Find a customer by id' });
    expect(aliased.lookup('crm__find_customer')).toMatchObject({ offered: true, tool: { entry: { upstreamName: 'lookup' } } });
    expect(aliased.lookup('crm__lookup')).toEqual({ offered: false });
  });

  it('applies a per-tool access rule', () => {
    const policy = portal([{ name: 'crm', tools: { rules: { delete_customer: { access: rule([], [], ['corp.example.org']) } } } }]);
    expect(toolsOffered(policy, entries, support).lookup('crm__delete_customer')).toEqual({ offered: false, rule: 'portals[main].servers[crm].tools.rules.delete_customer.access' });
    expect(toolsOffered(policy, entries, finance).lookup('crm__delete_customer')).toMatchObject({ offered: true });
  });
});
