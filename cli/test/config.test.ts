import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.ts';
import { REPO_ROOT } from '../src/config/load-settings.ts';
import { resolveRuntimeSettings } from '../src/config/runtime-settings.ts';
import { demoConfig } from '../src/config/demo-config.ts';

const minimal = (portal: string) => `
portals:
${portal}
`;

const errorOf = (text: string) => {
  try {
    parseConfig(text, 'gatehouse.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
};

describe('gatehouse.yaml validation', () => {
  it('serves a portal without authentication only on a loopback address', () => {
    const portal = `  - name: local
    authentication: none
    servers: [{ name: demo, transport: stdio, command: node }]`;
    expect(parseConfig(`gateway: { host: 127.0.0.1 }\n${minimal(portal)}`, 'gatehouse.yaml').portals[0]!.authentication).toBe('none');
    expect(errorOf(`gateway: { host: 0.0.0.0 }\n${minimal(portal)}`)).toContain('portals[0].authentication');
    expect(errorOf(`gateway: { host: 0.0.0.0 }\n${minimal(portal)}`)).toContain('set gateway.host to 127.0.0.1');
  });

  it('accepts gatehouse.example.yaml, and resolves it with the variables it names', () => {
    const file = path.join(REPO_ROOT, 'gatehouse.example.yaml');
    const config = parseConfig(readFileSync(file, 'utf8'), file);
    expect(config.portals[0]!.servers.map((server) => server.name)).toEqual(['customers', 'tickets']);
    expect(Object.keys(config.dlp.profiles).sort()).toEqual(['credentials', 'default', 'financial', 'health', 'national_ids', 'pii', 'strict', 'strict-outbound']);

    const settings = resolveRuntimeSettings(config, file, { GATEHOUSE_DEV_TOKEN: 't0ken', TICKETS_UPSTREAM_AUTH: 'upstream-secret' }, REPO_ROOT);
    expect(settings.tokens[0]!.principal).toEqual({ subject: 'developer', email: 'developer@example.com', groups: ['engineering'] });
    expect(settings.tokens[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(settings.portals[0]!.servers[1]!.spec).toMatchObject({ transport: 'streamable-http', headers: { 'X-Team': 'gatehouse', Authorization: 'Bearer upstream-secret' } });
    expect(settings.store).toEqual({ kind: 'chdb', path: path.join(REPO_ROOT, 'data', 'chdb') });
  });

  it('names the missing environment variable and where the config asks for it', () => {
    const file = path.join(REPO_ROOT, 'gatehouse.example.yaml');
    const config = parseConfig(readFileSync(file, 'utf8'), file);
    expect(() => resolveRuntimeSettings(config, file, { GATEHOUSE_DEV_TOKEN: 't' }, REPO_ROOT)).toThrow(
      /portals\[0\]\.servers\[1\]\.bearer_token\.env: environment variable TICKETS_UPSTREAM_AUTH is not set/,
    );
  });

  it('lets the environment override endpoints: PORT, KAFKA_BROKERS, CLICKHOUSE_URL', () => {
    const config = demoConfig(REPO_ROOT, process.execPath);
    const settings = resolveRuntimeSettings(config, 'demo', { GATEHOUSE_DEV_TOKEN: 't', PORT: '9999', KAFKA_BROKERS: 'k1:9092, k2:9092', CLICKHOUSE_URL: 'https://ch.internal:8443' }, REPO_ROOT);
    expect(settings.port).toBe(9999);
    expect(settings.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(settings.store).toMatchObject({ kind: 'clickhouse', url: 'https://ch.internal:8443' });
    expect(() => resolveRuntimeSettings(config, 'demo', { GATEHOUSE_DEV_TOKEN: 't', PORT: 'eighty' }, REPO_ROOT)).toThrow(/PORT: "eighty" is not a port number/);
  });

  it.each([
    ['a server with an unknown transport', minimal('  - name: p\n    servers: [{ name: s, transport: carrier-pigeon }]'), /portals\[0\]\.servers\[0\]\.transport/],
    ['an upstream URL that is not http(s)', minimal('  - name: p\n    servers: [{ name: s, transport: streamable-http, url: "ftp://x/mcp" }]'), /portals\[0\]\.servers\[0\]\.url/],
    ['a portal naming a DLP profile that does not exist', minimal('  - name: p\n    dlp_profile: paranoid\n    servers: [{ name: s, transport: stdio, command: node }]'), /portals\[0\]\.dlp_profile: no DLP profile "paranoid"/],
    ['two servers with one name', minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }, { name: s, transport: stdio, command: b }]'), /portals\[0\]\.servers\[1\]\.name: server name "s" is used twice/],
    ['no tool prefix on a portal with two servers', minimal('  - name: p\n    tool_prefix: false\n    servers: [{ name: a, transport: stdio, command: a }, { name: b, transport: stdio, command: b }]'), /portals\[0\]\.tool_prefix: tool_prefix can be false only for a portal with one server/],
    ['an unknown key (a typo)', `gateway:\n  prot: 8080\n${minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }]')}`, /gateway: Unrecognized key: "prot"/],
    ['a token written in clear', `tokens: [{ token: "s3cret", subject: x }]\n${minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }]')}`, /tokens\[0\]\.token/],
    ['an unknown DLP detector', `dlp:\n  profiles:\n    p1: { detectors: { tarot_card: block } }\n${minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }]')}`, /unknown detector "tarot_card"/],
    ['a DLP policy naming a server no portal has', `dlp:\n  policies: [{ server: nope, profile: default }]\n${minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }]')}`, /dlp\.policies\[0\]\.server: no server "nope"; use one of: s/],
    ['a DLP policy naming an unknown portal', `dlp:\n  policies: [{ portal: q, profile: default }]\n${minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }]')}`, /dlp\.policies\[0\]\.portal: no portal "q"/],
    ['no portals', 'gateway: { port: 8080 }\n', /portals: /],
  ])('rejects %s, naming the file and the path', (_case, text, expected) => {
    const message = errorOf(text);
    expect(message).toMatch(/^gatehouse\.yaml is not a valid Gatehouse config:/);
    expect(message).toMatch(expected);
    expect(message).toContain('gatehouse.example.yaml');
  });

  it('rejects broken YAML with the reason', () => {
    expect(errorOf('portals: [\n  - name: p\n')).toMatch(/^gatehouse\.yaml is not valid YAML/);
    expect(errorOf('portals: []\nportals: []\n')).toMatch(/not valid YAML/);
  });

  it('keeps a clear token out of error messages', () => {
    expect(errorOf(`tokens: [{ token: "s3cret-value", subject: x }]\n${minimal('  - name: p\n    servers: [{ name: s, transport: stdio, command: a }]')}`)).not.toContain('s3cret-value');
  });
});
