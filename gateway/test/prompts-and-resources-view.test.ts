import { describe, expect, it } from 'vitest';
import type { Principal } from '../../events/src/index.ts';
import { ItemPolicySchema } from '../src/config-schema.ts';
import { promptsOffered, resourcesOffered } from '../src/policy/prompts-and-resources-view.ts';
import type { PortalPolicy } from '../src/policy/portal-view.ts';
import type { ServerExtras } from '../src/tool-catalog.ts';
import type { UpstreamConnection } from '../src/upstream/index.ts';

const support: Principal = { subject: 'sam', email: 'sam@example.com', groups: ['support'] };
const finance: Principal = { subject: 'fay', email: 'fay@example.org', groups: ['finance'] };
const crm = { name: 'crm' } as UpstreamConnection;
const ledger = { name: 'ledger' } as UpstreamConnection;

const extras = new Map<string, ServerExtras>([
  [
    'crm',
    {
      upstream: crm,
      prompts: [{ name: 'summarize_customer', description: 'Summarize' }, { name: 'draft_refund' }],
      resources: [{ uri: 'crm://customers/index', name: 'index' }],
      resourceTemplates: [{ uriTemplate: 'crm://customers/{id}', name: 'customer' }],
    },
  ],
  ['ledger', { upstream: ledger, prompts: [{ name: 'month_end' }], resources: [{ uri: 'ledger://accounts', name: 'accounts' }], resourceTemplates: [] }],
]);

function portal(prompts: unknown = {}): PortalPolicy {
  return {
    name: 'main',
    toolPrefix: true,
    toolSeparator: '__',
    servers: [
      { name: 'crm', access: { groups: ['support'], emails: [], email_domains: [] }, tools: ItemPolicySchema.parse({}), prompts: ItemPolicySchema.parse(prompts) },
      { name: 'ledger', access: { groups: ['finance'], emails: [], email_domains: [] }, tools: ItemPolicySchema.parse({}), prompts: ItemPolicySchema.parse({}) },
    ],
  };
}

describe('prompts offered to a caller', () => {
  it('lists the prompts of the servers the caller may use, namespaced like tools', () => {
    expect(promptsOffered(portal(), extras, support).list().map((prompt) => prompt.name)).toEqual(['crm__summarize_customer', 'crm__draft_refund']);
    expect(promptsOffered(portal(), extras, finance).list().map((prompt) => prompt.name)).toEqual(['ledger__month_end']);
  });

  it('applies the prompt policy: disabled prompts, aliases and descriptions, and names the rule that hides one', () => {
    const offered = promptsOffered(portal({ rules: { draft_refund: { enabled: false }, summarize_customer: { alias: 'summary', description: 'One paragraph' } } }), extras, support);
    expect(offered.list()).toEqual([{ name: 'crm__summary', description: 'One paragraph' }]);
    expect(offered.lookup('crm__summary')).toMatchObject({ offered: true, prompt: { server: 'crm', upstreamName: 'summarize_customer', upstream: crm } });
    expect(offered.lookup('crm__draft_refund')).toEqual({ offered: false, rule: 'portals[main].servers[crm].prompts.rules.draft_refund.enabled' });
    expect(promptsOffered(portal(), extras, finance).lookup('crm__draft_refund')).toEqual({ offered: false, rule: 'portals[main].servers[crm].access' });
    expect(offered.lookup('crm__nothing')).toEqual({ offered: false });
  });
});

describe('resources offered to a caller', () => {
  it("lists only the resources and templates of the servers the caller may use", () => {
    const view = resourcesOffered(portal(), extras, support);
    expect(view.resources().map((resource) => resource.uri)).toEqual(['crm://customers/index']);
    expect(view.templates().map((template) => template.uriTemplate)).toEqual(['crm://customers/{id}']);
  });

  it('routes a read to the server listing the URI or whose template matches it, and names the rule that hides one', () => {
    const view = resourcesOffered(portal(), extras, support);
    expect(view.route('crm://customers/index')).toEqual({ server: 'crm', upstream: crm });
    expect(view.route('crm://customers/cus_1001')).toEqual({ server: 'crm', upstream: crm });
    expect(view.route('ledger://accounts')).toEqual({ server: undefined, rule: 'portals[main].servers[ledger].access' });
    expect(view.route('file:///etc/passwd')).toEqual({ server: undefined });
  });
});
