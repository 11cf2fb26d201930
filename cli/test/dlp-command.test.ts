import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../src/command.ts';
import { dlpCommand } from '../src/commands/dlp.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-dlp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `gatehouse dlp …` in-process with `input` on stdin. */
async function dlp(args: string[], input: string, env: NodeJS.ProcessEnv = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stdin.end(input);
  const io: CommandIO = { stdin, stdout, stderr, env, cwd: dir };
  const code = await dlpCommand.run(args, io);
  return { code, lines: out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const CARD = '4111 1111 1111 1111';

describe('gatehouse dlp scan', () => {
  it('prints the decision, findings without values and the redacted payload for one payload', async () => {
    const { code, lines } = await dlp(['scan'], JSON.stringify({ customer: { card: CARD, email: 'jane@example.com' } }));
    expect(code).toBe(0);
    expect(lines).toEqual([
      {
        decision: 'redact',
        findings: [
          { detector: 'payment_card', type: 'financial', path: '$.customer.card', start: 0, end: CARD.length, confidence: 0.98 },
          { detector: 'email', type: 'pii', path: '$.customer.email', start: 0, end: 16, confidence: 0.95 },
        ],
        redacted: { customer: { card: '[REDACTED:payment_card]', email: 'jane@example.com' } },
      },
    ]);
  });

  it('uses the named profile, and prints null for what a block lets through', async () => {
    const payload = JSON.stringify({ note: 'mail jane@example.com' });
    expect((await dlp(['scan'], payload)).lines[0]).toMatchObject({ decision: 'allow', redacted: { note: 'mail jane@example.com' } });
    expect((await dlp(['scan', '--profile', 'strict'], payload)).lines[0]).toMatchObject({ decision: 'redact', redacted: { note: 'mail [REDACTED:email]' } });
    expect((await dlp(['scan'], JSON.stringify({ k: 'AKIAZ7Q3JX4LMN2RTUVW' }))).lines[0]).toMatchObject({ decision: 'block', redacted: null });
  });

  it('with --ndjson answers one line per payload, in order, and reports a line that is not JSON without its content', async () => {
    const input = ['{"a":"ssn 123-45-6789"}', 'not json {secret}', '', '{"a":"clean"}', '"4111111111111111"'].join('\n');
    const { code, lines } = await dlp(['scan', '--ndjson'], input);
    expect(code).toBe(1);
    expect(lines.map((line) => line['decision'] ?? (line['error'] as { code: string }).code)).toEqual(['redact', 'GH_ERR_DLP_INPUT_INVALID', 'allow', 'redact']);
    expect(JSON.stringify(lines[1])).toContain('line 2');
    expect(JSON.stringify(lines[1])).not.toContain('secret');
  });

  it('reads the profiles, exact lists and hash key of --config', async () => {
    const config = path.join(dir, 'custom.yaml');
    const hashes = [createHmac('sha256', 'k3y').update('CUS-1001').digest('hex')];
    await writeFile(
      config,
      [
        'portals: [{ name: p, dlp_profile: mine, servers: [{ name: s, transport: stdio, command: node }] }]',
        'dlp:',
        '  hash_key: { env: DLP_KEY }',
        `  exact_lists: [{ id: customer_ids, type: pii, pattern: "CUS-[0-9]{4}", hashes: [${hashes[0]}] }]`,
        '  profiles:',
        '    mine: { detectors: { customer_ids: block }, redaction: hash }',
      ].join('\n'),
    );
    const known = await dlp(['scan', '--config', config, '--profile', 'mine'], '{"a":"CUS-1001 and CUS-1002"}', { DLP_KEY: 'k3y' });
    expect(known.lines[0]).toMatchObject({ decision: 'block', findings: [{ detector: 'customer_ids', start: 0, end: 8 }] });
    await expect(dlp(['scan', '--config', config], '{}')).rejects.toThrow(/environment variable DLP_KEY is not set/);
  });

  it('rejects an unknown profile, arguments and invalid JSON on stdin', async () => {
    await expect(dlp(['scan', '--profile', 'nope'], '{}')).rejects.toMatchObject({ code: 'GH_ERR_CLI_USAGE', message: expect.stringContaining('known profiles: credentials, default') });
    await expect(dlp(['scan', 'payload.json'], '{}')).rejects.toMatchObject({ code: 'GH_ERR_CLI_USAGE' });
    await expect(dlp(['scan'], '{oops')).rejects.toMatchObject({ code: 'GH_ERR_DLP_INPUT_INVALID' });
    await expect(dlp(['launch'], '')).rejects.toMatchObject({ code: 'GH_ERR_CLI_USAGE' });
  });
});

describe('gatehouse dlp hash', () => {
  it('prints the keyed hash of each normalized value, as exact lists expect', async () => {
    const config = path.join(dir, 'hash.yaml');
    await writeFile(config, 'portals: [{ name: p, servers: [{ name: s, transport: stdio, command: node }] }]\ndlp:\n  hash_key: { env: DLP_KEY }\n');
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += String(chunk)));
    stdin.end('Cus-1001\nCUS-1002\n');
    const code = await dlpCommand.run(['hash', '--normalize', 'lowercase', '--config', config], { stdin, stdout, stderr: new PassThrough(), env: { DLP_KEY: 'k3y' }, cwd: dir });
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toEqual(['cus-1001', 'cus-1002'].map((value) => createHmac('sha256', 'k3y').update(value).digest('hex')));
  });
});
