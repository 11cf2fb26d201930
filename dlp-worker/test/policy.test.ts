import { describe, expect, it } from 'vitest';
import { selectProfile, type CallSelection, type DlpPolicy } from '../src/policy.ts';

const call = (overrides: Partial<CallSelection> = {}): CallSelection => ({ portal: 'main', server: 'crm', tool: 'get_customer', direction: 'result', profile: 'default', ...overrides });

describe('selectProfile', () => {
  const policies: DlpPolicy[] = [
    { direction: 'result', profile: 'results' },
    { portal: 'main', profile: 'main-portal' },
    { server: 'crm', profile: 'crm' },
    { server: 'crm', direction: 'arguments', profile: 'crm-arguments' },
    { tool: 'get_customer', profile: 'get-customer' },
    { server: 'crm', tool: 'export', direction: 'result', profile: 'crm-export-results' },
  ];

  it('falls back to the portal profile when no policy matches', () => {
    expect(selectProfile(policies, call({ portal: 'other', server: 'wiki', tool: 'search', direction: 'arguments' }))).toBe('default');
    expect(selectProfile([], call())).toBe('default');
  });

  it('picks the most specific matching policy: tool over server over portal over direction', () => {
    expect(selectProfile(policies, call())).toBe('get-customer');
    expect(selectProfile(policies, call({ tool: 'list' }))).toBe('crm');
    expect(selectProfile(policies, call({ tool: 'list', direction: 'arguments' }))).toBe('crm-arguments');
    expect(selectProfile(policies, call({ server: 'wiki', tool: 'search' }))).toBe('main-portal');
    expect(selectProfile(policies, call({ portal: 'other', server: 'wiki', tool: 'search' }))).toBe('results');
    expect(selectProfile(policies, call({ tool: 'export' }))).toBe('crm-export-results');
    expect(selectProfile(policies, call({ tool: 'export', direction: 'arguments' }))).toBe('crm-arguments');
  });
});
