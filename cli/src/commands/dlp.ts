import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  createDlpEngine,
  createKeyedHasher,
  DlpConfigSchema,
  VALUE_NORMALIZERS,
  ValueNormalizerSchema,
  type DlpConfig,
  type DlpEngine,
} from '../../../dlp-worker/src/index.ts';
import type { Command, CommandIO } from '../command.ts';
import { ConfigError, loadConfigFile } from '../config/load-config.ts';
import { parseCommandArgs, UsageError } from '../parse-args.ts';

/** Input that is not a JSON payload; in --ndjson mode it is reported on its line and the scan goes on. */
class DlpInputError extends Error {
  readonly code = 'GH_ERR_DLP_INPUT_INVALID';
}

interface LoadedDlp {
  dlp: DlpConfig;
  hashKey: string | undefined;
}

/**
 * The `dlp` section to use: --config FILE, else $GATEHOUSE_CONFIG, else ./gatehouse.yaml when
 * present, else the built-in profiles alone. The hash key comes from the variable the config names.
 */
async function loadDlp(io: CommandIO, configPath: string | undefined): Promise<LoadedDlp> {
  const explicit = configPath ?? io.env['GATEHOUSE_CONFIG'];
  const implicit = path.join(io.cwd, 'gatehouse.yaml');
  const file = explicit ? path.resolve(io.cwd, explicit) : existsSync(implicit) ? implicit : undefined;
  const dlp = file ? (await loadConfigFile(file)).dlp : DlpConfigSchema.parse({});
  const ref = dlp.hash_key;
  const hashKey = ref === undefined ? undefined : io.env[ref.env];
  if (ref !== undefined && !hashKey) {
    throw new ConfigError(`${file}: dlp.hash_key.env: environment variable ${ref.env} is not set; export it (the same value the DLP workers use)`);
  }
  return { dlp, hashKey };
}

/** One scan's output: the decision, findings without values or hashes, and what may travel on (null when blocked). */
function scanResult(engine: DlpEngine, payload: unknown, profile: string): string {
  const verdict = engine.decide(payload, profile);
  const findings = verdict.findings.map(({ detector, type, path: at, start, end, confidence }) => ({ detector, type, path: at, start, end, confidence }));
  const redacted = verdict.decision === 'block' ? null : verdict.decision === 'redact' ? verdict.payload : payload;
  return JSON.stringify({ decision: verdict.decision, findings, redacted });
}

function parsePayload(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the input; only its position is kept.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new DlpInputError(`${where} is not JSON${position ? ` (error at character ${position})` : ''}; send one JSON value`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export const dlpScanCommand: Command = {
  name: 'scan',
  summary: 'Scan a JSON payload from stdin and print the verdict',
  help: `
Usage: gatehouse dlp scan [--profile NAME] [--config FILE] [--ndjson]

Reads one JSON payload on stdin, scans it as the DLP worker would, and prints one line:

  {"decision":"allow|redact|block","findings":[{"detector","type","path","start","end","confidence"}],"redacted":…}

"redacted" is what would travel on: the payload itself when allowed, the redacted copy when
redacted, null when blocked. Findings never carry the values they found.

Options:
  --profile NAME  the DLP profile (default: default); built-in: default, strict, financial,
                  credentials, pii, national_ids, health, plus the config's own
  --config FILE   the config whose dlp section to use (default: $GATEHOUSE_CONFIG, then
                  ./gatehouse.yaml, else the built-in profiles alone)
  --ndjson        one payload per line in, one result per line out, in order; a line that is
                  not JSON prints {"error":{"code","message"}} and the exit code becomes 1

Exit code: 0 when every payload was scanned (whatever the decisions), 1 on unreadable input or
config, 2 on wrong arguments.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { profile: { type: 'string' }, config: { type: 'string' }, ndjson: { type: 'boolean' } }, true);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; the payload is read from stdin`);
    const { dlp, hashKey } = await loadDlp(io, values.config);
    const engine = createDlpEngine({ dlp, ...(hashKey === undefined ? {} : { hashKey }) });
    const profile = values.profile ?? 'default';
    if (engine.profile(profile) === undefined) {
      throw new UsageError(`no DLP profile "${profile}"; known profiles: ${Object.keys(dlp.profiles).sort().join(', ')}`);
    }

    if (!values.ndjson) {
      io.stdout.write(`${scanResult(engine, parsePayload(await readAll(io.stdin), 'stdin'), profile)}\n`);
      return 0;
    }
    let failed = false;
    let number = 0;
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      number++;
      if (line.trim() === '') continue;
      try {
        io.stdout.write(`${scanResult(engine, parsePayload(line, `line ${number}`), profile)}\n`);
      } catch (error) {
        if (!(error instanceof DlpInputError)) throw error;
        failed = true;
        io.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
      }
    }
    return failed ? 1 : 0;
  },
};

export const dlpHashCommand: Command = {
  name: 'hash',
  summary: 'Print the keyed hashes of values (one per line on stdin) for dlp.exact_lists',
  help: `
Usage: gatehouse dlp hash [--normalize none|lowercase|digits|alphanumeric] [--config FILE]

Reads values one per line on stdin and prints, one per line, HMAC-SHA256 under the key that
dlp.hash_key names, after the same normalization the exact list uses: the entries of
dlp.exact_lists[].hashes. The values themselves never go into the config.

Options:
  --normalize MODE  as the list's "normalize" (default: none)
  --config FILE     the config whose dlp.hash_key to use (default: $GATEHOUSE_CONFIG, then ./gatehouse.yaml)
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { normalize: { type: 'string' }, config: { type: 'string' } }, true);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; values are read from stdin`);
    const mode = ValueNormalizerSchema.safeParse(values.normalize ?? 'none');
    if (!mode.success) throw new UsageError(`--normalize must be one of ${ValueNormalizerSchema.options.join(', ')}`);
    const { hashKey } = await loadDlp(io, values.config);
    if (hashKey === undefined) throw new ConfigError('the config has no dlp.hash_key: set it to { env: NAME } and export a long random value');
    const hasher = createKeyedHasher(hashKey);
    const normalize = VALUE_NORMALIZERS[mode.data];
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      if (line !== '') io.stdout.write(`${hasher.hash(normalize(line))}\n`);
    }
    return 0;
  },
};

const subcommands: Command[] = [dlpScanCommand, dlpHashCommand];

export const dlpCommand: Command = {
  name: 'dlp',
  summary: 'Data loss prevention: scan, hash',
  help: `
Usage: gatehouse dlp <subcommand> [options]

Subcommands:
${subcommands.map((command) => `  ${command.name.padEnd(6)}  ${command.summary}`).join('\n')}

Run "gatehouse dlp <subcommand> --help" for its options.
`,
  subcommands,
  async run(args, io) {
    const [name, ...rest] = args;
    const subcommand = subcommands.find((candidate) => candidate.name === name);
    if (!subcommand) throw new UsageError(name ? `unknown subcommand "${name}"` : 'name a subcommand: scan or hash');
    return subcommand.run(rest, io);
  },
};
