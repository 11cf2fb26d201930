import { describe, expect, it } from 'vitest';
import { createDnsRebindingGuard } from '../src/dns-rebinding-guard.ts';
import { isLoopbackHost } from '../src/loopback.ts';

const onLoopback = () => ({ loopback: true });
const onAllInterfaces = () => ({ loopback: false });

describe('DNS-rebinding guard', () => {
  it('on loopback, answers only the localhost names, with any port', () => {
    const check = createDnsRebindingGuard({}, onLoopback);
    for (const host of ['localhost:8080', '127.0.0.1:3000', '[::1]:9000', 'localhost']) expect(check(host, undefined)).toEqual({ ok: true });
    expect(check('evil.example:8080', undefined)).toMatchObject({ ok: false, code: 'GH_ERR_HOST_NOT_ALLOWED' });
    expect(check(undefined, undefined)).toMatchObject({ ok: false, code: 'GH_ERR_HOST_NOT_ALLOWED' });
  });

  it('on loopback, refuses a page from another origin even with a local Host', () => {
    const check = createDnsRebindingGuard({}, onLoopback);
    expect(check('127.0.0.1:8080', 'http://evil.example')).toMatchObject({ ok: false, code: 'GH_ERR_ORIGIN_NOT_ALLOWED' });
    expect(check('127.0.0.1:8080', 'null')).toMatchObject({ ok: false, code: 'GH_ERR_ORIGIN_NOT_ALLOWED' });
    expect(check('127.0.0.1:8080', 'http://localhost:5173')).toEqual({ ok: true });
  });

  it('adds the public URL host on loopback, as a proxy on the same machine forwards it', () => {
    const check = createDnsRebindingGuard({ publicUrl: 'https://mcp.example.com' }, onLoopback);
    expect(check('mcp.example.com', 'https://mcp.example.com')).toEqual({ ok: true });
  });

  it('on other interfaces without a list, checks no Host but wants an Origin to match it', () => {
    const check = createDnsRebindingGuard({}, onAllInterfaces);
    expect(check('gatehouse.internal:8080', undefined)).toEqual({ ok: true });
    expect(check('gatehouse.internal:8080', 'https://gatehouse.internal')).toEqual({ ok: true });
    expect(check('gatehouse.internal:8080', 'https://evil.example')).toMatchObject({ ok: false, code: 'GH_ERR_ORIGIN_NOT_ALLOWED' });
  });

  it('uses the configured hosts and origins wherever it listens', () => {
    const check = createDnsRebindingGuard({ allowedHosts: ['mcp.example.com'], allowedOrigins: ['app.example.com'] }, onAllInterfaces);
    expect(check('mcp.example.com:443', 'https://app.example.com')).toEqual({ ok: true });
    expect(check('other.example.com', undefined)).toMatchObject({ ok: false, code: 'GH_ERR_HOST_NOT_ALLOWED' });
    expect(check('mcp.example.com', 'https://mcp.example.com')).toMatchObject({ ok: false, code: 'GH_ERR_ORIGIN_NOT_ALLOWED' });
  });
});

describe('isLoopbackHost', () => {
  it('counts loopback addresses and localhost, not wildcards or other hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'gatehouse.internal', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });
});
