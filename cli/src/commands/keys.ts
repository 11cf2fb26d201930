import { existsSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../../events/src/index.ts';
import {
  apiKeyStatus,
  createApiKey,
  DEFAULT_API_KEYS_FILE,
  IdentityConfigSchema,
  readApiKeyFile,
  revokeApiKey,
  type ApiKeyRecord,
} from '../../../gateway/src/identity/index.ts';
import type { Command, CommandIO } from '../command.ts';
import { loadConfigFile } from '../config/load-config.ts';
import { parseCommandArgs, UsageError } from '../parse-args.ts';

class KeyNotFoundError extends Error {
  readonly code = 'GH_ERR_KEYS_NOT_FOUND';
}

const FILE_OPTIONS = { file: { type: 'string' }, config: { type: 'string' } } as const;
const FILE_HELP = `  --file FILE        the key file (default: identity.api_keys.file of the config, else ${DEFAULT_API_KEYS_FILE})
  --config FILE      the config naming the key file and the portals (default: $GATEHOUSE_CONFIG, then ./gatehouse.yaml)`;

interface KeyFileTarget {
  file: string;
  /** The config's portal names, when a config was found; keys may name only these. */
  portals?: string[];
}

/**
 * The key file the gateway reads: --file, else the config's identity.api_keys.file (relative to
 * the config's folder, as the gateway resolves it), else ./data/api-keys.json.
 */
async function keyFileTarget(io: CommandIO, options: { file?: string; config?: string }): Promise<KeyFileTarget> {
  const explicitConfig = options.config ?? io.env['GATEHOUSE_CONFIG'];
  const implicitConfig = path.join(io.cwd, 'gatehouse.yaml');
  const configFile = explicitConfig ? path.resolve(io.cwd, explicitConfig) : existsSync(implicitConfig) ? implicitConfig : undefined;
  if (!configFile) return { file: path.resolve(io.cwd, options.file ?? DEFAULT_API_KEYS_FILE) };
  const config = await loadConfigFile(configFile);
  const identity = IdentityConfigSchema.parse(('identity' in config ? config.identity : undefined) ?? {});
  const file = options.file ? path.resolve(io.cwd, options.file) : path.resolve(path.dirname(configFile), identity.api_keys.file);
  return { file, portals: config.portals.map((portal) => portal.name) };
}

const DURATION_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };

/** `30d`, `12h`, `1y`… in milliseconds; `never` for a key without expiry. */
export function parseExpiresIn(value: string): number | null {
  if (value === 'never') return null;
  const match = /^([1-9][0-9]{0,5})([mhdwy])$/.exec(value);
  if (!match) throw new UsageError(`--expires-in "${value}" is not a duration: use a number and m, h, d, w or y (30d, 12h, 1y), or "never"`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
}

const keysCreateCommand: Command = {
  name: 'create',
  summary: 'create a service account\'s API key, scoped to portals',
  help: `
Usage: gatehouse keys create --name NAME --portal PORTAL [--portal PORTAL2] [options]

Creates an API key for a service account and prints it once, alone on stdout (details go to
stderr, so KEY=$(gatehouse keys create …) captures just the key). Only its SHA-256 digest is
stored. Clients send it as "Authorization: Bearer <key>"; it works only on the named portals.

Options:
  --name NAME        what the key is for (shown by "keys list")
  --portal PORTAL    a portal the key may be used on; repeat for several (at least one)
  --group GROUP      a group the service account is in, for access rules; repeat for several
  --subject SUBJECT  the principal's subject in the audit trail (default: service:NAME)
  --email EMAIL      the principal's email, for rules on emails or domains (default: none)
  --scope SCOPE      an OAuth-style scope the key carries; repeat for several (default: none)
  --expires-in DUR   how long the key is valid: 30d, 12h, 1y… or "never" (default: 90d)
${FILE_HELP}
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...FILE_OPTIONS,
      name: { type: 'string' },
      portal: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      subject: { type: 'string' },
      email: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'expires-in': { type: 'string', default: '90d' },
    });
    if (!values.name?.trim()) throw new UsageError('--name NAME is required');
    if (!values.portal?.length) throw new UsageError('name at least one --portal PORTAL the key may be used on');
    const validForMs = parseExpiresIn(values['expires-in']);
    const target = await keyFileTarget(io, values);
    const unknownPortals = values.portal.filter((portal) => target.portals && !target.portals.includes(portal));
    if (unknownPortals.length > 0) throw new UsageError(`no portal ${unknownPortals.join(', ')} in the config; its portals are: ${target.portals!.join(', ')}`);

    const { key, record } = await createApiKey(
      target.file,
      {
        name: values.name.trim(),
        subject: values.subject ?? `service:${values.name.trim()}`,
        email: values.email,
        groups: values.group ?? [],
        portals: values.portal,
        scopes: values.scope ?? [],
        validForMs,
      },
      systemClock,
    );
    io.stdout.write(`${key}\n`);
    io.stderr.write(
      `Created API key ${record.id} "${record.name}" for ${record.subject} on portal(s) ${record.portals.join(', ')}, ` +
        `${record.expires_at ? `expiring ${record.expires_at}` : 'never expiring'}, in ${target.file}.\n` +
        'The key is shown only this once: store it now.\n',
    );
    return 0;
  },
};

const COLUMNS: Array<[string, (record: ApiKeyRecord, now: number) => string]> = [
  ['ID', (record) => record.id],
  ['NAME', (record) => record.name],
  ['SUBJECT', (record) => record.subject],
  ['PORTALS', (record) => record.portals.join(',')],
  ['GROUPS', (record) => record.groups.join(',')],
  ['CREATED', (record) => record.created_at],
  ['EXPIRES', (record) => record.expires_at ?? 'never'],
  ['STATUS', (record, now) => apiKeyStatus(record, now)],
];

function formatTable(records: ApiKeyRecord[], now: number): string {
  const rows = [COLUMNS.map(([title]) => title), ...records.map((record) => COLUMNS.map(([, cell]) => cell(record, now)))];
  const widths = COLUMNS.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  return rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd()).join('\n');
}

const keysListCommand: Command = {
  name: 'list',
  summary: 'list API keys with their scope and status (never the keys)',
  help: `
Usage: gatehouse keys list [--format table|json] [options]

Lists every API key in the key file: id, name, subject, portals, groups, when it was created,
when it expires, and whether it is active, expired or revoked. Keys themselves are never stored,
so they cannot be shown.

Options:
  --format table     aligned columns (default)
  --format json      one JSON object per key (NDJSON), without the stored digest
${FILE_HELP}
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { ...FILE_OPTIONS, format: { type: 'string', default: 'table' } });
    if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, not "${values.format}"`);
    const target = await keyFileTarget(io, values);
    const { keys } = await readApiKeyFile(target.file);
    const now = systemClock.now();
    if (values.format === 'json') {
      for (const record of keys) {
        const { sha256: _digest, ...shown } = record;
        io.stdout.write(`${JSON.stringify({ ...shown, status: apiKeyStatus(record, now) })}\n`);
      }
    } else if (keys.length === 0) {
      io.stdout.write(`No API keys in ${target.file}; create one with "gatehouse keys create".\n`);
    } else {
      io.stdout.write(`${formatTable(keys, now)}\n`);
    }
    return 0;
  },
};

const keysRevokeCommand: Command = {
  name: 'revoke',
  summary: 'revoke an API key; running gateways refuse it from their next request',
  help: `
Usage: gatehouse keys revoke ID [options]

Marks the API key with this id (see "gatehouse keys list") revoked. Running gateways re-read
the key file when it changes and refuse the key from their next request; no restart is needed.
Revoking a key twice keeps the first revocation time.

Options:
${FILE_HELP}
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, FILE_OPTIONS, true);
    const [id, ...rest] = positionals;
    if (!id || rest.length > 0) throw new UsageError('expected: keys revoke ID (the id shown by "gatehouse keys list")');
    const target = await keyFileTarget(io, values);
    const revoked = await revokeApiKey(target.file, id, systemClock);
    if (!revoked) throw new KeyNotFoundError(`no API key with id "${id}" in ${target.file}; run "gatehouse keys list" for the ids`);
    const { record, alreadyRevoked } = revoked;
    io.stdout.write(
      alreadyRevoked
        ? `API key ${record.id} "${record.name}" was already revoked at ${record.revoked_at}.\n`
        : `Revoked API key ${record.id} "${record.name}" at ${record.revoked_at}; gateways refuse it from their next request.\n`,
    );
    return 0;
  },
};

const subcommands: Command[] = [keysCreateCommand, keysListCommand, keysRevokeCommand];

export const keysCommand: Command = {
  name: 'keys',
  summary: `API keys for service accounts: ${subcommands.map((command) => command.name).join(', ')}`,
  help: `
Usage: gatehouse keys <subcommand> [options]

API keys let service accounts (CI jobs, agents) call the gateway without an OpenID sign-in.
Each key is scoped to portals, carries groups for access rules, expires, and can be revoked.

Subcommands:
${subcommands.map((command) => `  ${command.name.padEnd(8)}  ${command.summary}`).join('\n')}

Run "gatehouse keys <subcommand> --help" for its options.
`,
  subcommands,
  async run(args, io) {
    const [name, ...rest] = args;
    const subcommand = subcommands.find((candidate) => candidate.name === name);
    if (!subcommand) throw new UsageError(name ? `unknown subcommand "${name}"` : 'name a subcommand: create, list or revoke');
    return subcommand.run(rest, io);
  },
};
