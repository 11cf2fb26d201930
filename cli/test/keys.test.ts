import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, stat, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKeyStore, createAuthenticator } from '../../gateway/src/identity/index.ts';
import { parseExpiresIn } from '../src/commands/keys.ts';
import { REPO_ROOT } from '../src/config/load-settings.ts';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'cli', 'src', 'main.ts');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-keys-cli-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const gatehouse = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, [CLI, 'keys', ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env } });
const failureOf = (args: string[], env?: NodeJS.ProcessEnv) => gatehouse(args, env).then(
  () => { throw new Error(`expected "keys ${args.join(' ')}" to fail`); },
  (error: { code: number; stdout: string; stderr: string }) => error,
);

async function writeConfig(file: string, portals: string[]) {
  const servers = '    servers:\n      - { name: demo, transport: stdio, command: node }\n';
  await writeFile(file, `portals:\n${portals.map((portal) => `  - name: ${portal}\n${servers}`).join('')}`);
}

describe('gatehouse keys', () => {
  it('creates a key, prints it once on stdout, and stores only its digest in ./data/api-keys.json (mode 600)', async () => {
    const created = await gatehouse(['create', '--name', 'deploy-bot', '--portal', 'engineering', '--group', 'ci', '--group', 'deployers', '--expires-in', '30d']);

    const key = created.stdout.trim();
    expect(key).toMatch(/^ghk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/Created API key [0-9a-f]{16} "deploy-bot" for service:deploy-bot on portal\(s\) engineering, expiring 20\d\d-/);
    expect(created.stderr).toContain('shown only this once');
    const file = path.join(dir, 'data', 'api-keys.json');
    const stored = await readFile(file, 'utf8');
    expect(stored).not.toContain(key);
    expect(JSON.parse(stored).keys[0]).toMatchObject({ name: 'deploy-bot', subject: 'service:deploy-bot', groups: ['ci', 'deployers'], portals: ['engineering'] });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('lists keys with their status as a table and as JSON, never with a key or digest', async () => {
    const first = (await gatehouse(['create', '--name', 'deploy-bot', '--portal', 'engineering'])).stdout.trim();
    const second = (await gatehouse(['create', '--name', 'report-bot', '--portal', 'finance', '--expires-in', 'never'])).stdout.trim();
    const firstId = first.split('_')[1]!;
    await gatehouse(['revoke', firstId]);

    const table = (await gatehouse(['list'])).stdout;
    expect(table.split('\n')[0]).toMatch(/^ID\s+NAME\s+SUBJECT\s+PORTALS\s+GROUPS\s+CREATED\s+EXPIRES\s+STATUS$/);
    expect(table).toMatch(new RegExp(`${firstId}\\s+deploy-bot .*revoked`));
    expect(table).toMatch(/report-bot\s+service:report-bot\s+finance\s+\S+\s+never\s+active/);

    const json = (await gatehouse(['list', '--format', 'json'])).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(json.map((record) => [record.name, record.status])).toEqual([['deploy-bot', 'revoked'], ['report-bot', 'active']]);
    const stored = JSON.parse(await readFile(path.join(dir, 'data', 'api-keys.json'), 'utf8')).keys.map((record: { sha256: string }) => record.sha256);
    for (const output of [table, JSON.stringify(json)]) {
      for (const secret of [first, second, ...stored]) expect(output).not.toContain(secret);
    }
  });

  it('revokes a key so that a running gateway refuses it on its next request', async () => {
    const key = (await gatehouse(['create', '--name', 'deploy-bot', '--portal', 'engineering'])).stdout.trim();
    const logger = pino({ level: 'silent' });
    const clock = { now: () => Date.now() };
    const file = path.join(dir, 'data', 'api-keys.json');
    const authenticator = createAuthenticator({ staticTokens: [], apiKeys: createApiKeyStore({ file, clock, logger }), clock, logger });
    expect(await authenticator.authenticate(`Bearer ${key}`)).toMatchObject({ ok: true, method: 'api_key', portals: ['engineering'] });

    const revoked = await gatehouse(['revoke', key.split('_')[1]!]);

    expect(revoked.stdout).toMatch(/^Revoked API key [0-9a-f]{16} "deploy-bot" at /);
    expect(await authenticator.authenticate(`Bearer ${key}`)).toMatchObject({ ok: false, reason: 'revoked_key' });
    expect((await gatehouse(['revoke', key.split('_')[1]!])).stdout).toContain('was already revoked at');
  });

  it('answers an unknown id with GH_ERR_KEYS_NOT_FOUND and bad arguments with usage errors', async () => {
    expect(await failureOf(['revoke', '0123456789abcdef'])).toMatchObject({ code: 1, stderr: expect.stringContaining('no API key with id "0123456789abcdef"') });
    expect((await failureOf(['revoke', '0123456789abcdef'])).stderr).toContain('[GH_ERR_KEYS_NOT_FOUND]');
    expect(await failureOf(['create', '--name', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('at least one --portal') });
    expect(await failureOf(['create', '--portal', 'p'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--name NAME is required') });
    expect(await failureOf(['create', '--name', 'x', '--portal', 'p', '--expires-in', '30 days'])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a duration') });
    expect(await failureOf(['rotate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown subcommand "rotate"') });
  });

  it('puts the file beside the config and accepts only the config\'s portals; --file overrides the place', async () => {
    const config = path.join(dir, 'conf', 'gatehouse.yaml');
    await mkdir(path.dirname(config));
    await writeConfig(config, ['engineering', 'finance']);

    await gatehouse(['create', '--name', 'bot', '--portal', 'finance', '--config', config]);
    expect(JSON.parse(await readFile(path.join(dir, 'conf', 'data', 'api-keys.json'), 'utf8')).keys).toHaveLength(1);
    expect(await failureOf(['create', '--name', 'bot', '--portal', 'marketing'], { GATEHOUSE_CONFIG: config })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no portal marketing in the config; its portals are: engineering, finance'),
    });

    await gatehouse(['create', '--name', 'bot', '--portal', 'engineering', '--config', config, '--file', 'elsewhere.json']);
    expect(JSON.parse(await readFile(path.join(dir, 'elsewhere.json'), 'utf8')).keys[0].portals).toEqual(['engineering']);
  });

  it('parses expiry durations', () => {
    expect(parseExpiresIn('30d')).toBe(30 * 86_400_000);
    expect(parseExpiresIn('12h')).toBe(12 * 3_600_000);
    expect(parseExpiresIn('1y')).toBe(365 * 86_400_000);
    expect(parseExpiresIn('never')).toBeNull();
    for (const bad of ['0d', '30', 'd', '-1d', '1.5d']) expect(() => parseExpiresIn(bad), bad).toThrow('is not a duration');
  });
});
