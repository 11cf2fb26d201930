import { describe, expect, it } from 'vitest';
import { paramHeaderDeclarations, paramHeaderMismatch } from '../src/param-headers.ts';

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    limit: { type: 'integer', 'x-mcp-header': 'Limit' },
    dryRun: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
    target: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
    tags: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Tag' } },
    note: { type: 'string', 'x-mcp-header': 'not a token' },
  },
};
const declarations = paramHeaderDeclarations(schema);
const headers = (entries: Record<string, string>) => new Headers(entries);
const base64 = (text: string) => `=?base64?${Buffer.from(text).toString('base64')}?=`;

describe('Mcp-Param headers (SEP-2243)', () => {
  it('finds declarations reached through properties only, with valid header names', () => {
    expect(declarations).toEqual([
      { header: 'Region', path: ['region'] },
      { header: 'Limit', path: ['limit'] },
      { header: 'Dry-Run', path: ['dryRun'] },
      { header: 'Zone', path: ['target', 'zone'] },
    ]);
  });

  it('accepts headers that repeat the arguments, plain or base64, numbers and booleans in canonical form', () => {
    const args = { region: 'eu-west-1', limit: 20, dryRun: false, target: { zone: 'Zürich' } };
    const sent = headers({ 'Mcp-Param-Region': 'eu-west-1', 'Mcp-Param-Limit': '20', 'Mcp-Param-Dry-Run': 'false', 'Mcp-Param-Zone': base64('Zürich') });
    expect(paramHeaderMismatch(declarations, args, sent)).toBeUndefined();
  });

  it('accepts a call without the marked arguments and without their headers', () => {
    expect(paramHeaderMismatch(declarations, {}, headers({}))).toBeUndefined();
  });

  it('refuses a missing header, naming the header and not the value', () => {
    const message = paramHeaderMismatch(declarations, { region: 'secret-region' }, headers({}));
    expect(message).toContain('Mcp-Param-Region');
    expect(message).not.toContain('secret-region');
  });

  it('refuses a header that disagrees with the body', () => {
    expect(paramHeaderMismatch(declarations, { region: 'eu-west-1' }, headers({ 'Mcp-Param-Region': 'us-east-1' }))).toContain('does not match');
    expect(paramHeaderMismatch(declarations, { region: 'Hello' }, headers({ 'Mcp-Param-Region': base64('Hellp') }))).toContain('does not match');
    expect(paramHeaderMismatch(declarations, { limit: 20 }, headers({ 'Mcp-Param-Limit': '21' }))).toContain('does not match');
    expect(paramHeaderMismatch(declarations, { dryRun: true }, headers({ 'Mcp-Param-Dry-Run': 'yes' }))).toContain('does not match');
  });

  it('refuses a malformed base64 value and a header without its argument', () => {
    expect(paramHeaderMismatch(declarations, { region: 'Hello' }, headers({ 'Mcp-Param-Region': '=?base64?SGVs!!!bG8=?=' }))).toContain('not a valid header value');
    expect(paramHeaderMismatch(declarations, {}, headers({ 'Mcp-Param-Region': 'eu-west-1' }))).toContain('argument region is absent');
  });
});
