import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createClickHouseConnection,
  parseQueryParam,
  signerFromKeyFile,
  verifierFromPem,
  verifyAuditTrail,
  type VerifyReport,
} from '../../../../audit-ingest/src/index.ts';
import { systemClock } from '../../../../events/src/index.ts';
import type { Command } from '../../command.ts';
import { loadStoreSettings } from '../../config/load-settings.ts';
import type { StoreSettings } from '../../config/runtime-settings.ts';
import { parseCommandArgs, UsageError } from '../../parse-args.ts';

const LABELS: Record<string, string> = {
  changed: 'CHANGED',
  missing: 'MISSING',
  inserted: 'INSERTED',
  reordered: 'REORDERED',
  bad_signature: 'BAD SIGNATURE',
  checkpoint_mismatch: 'CHECKPOINT MISMATCH',
  checkpoint_missing: 'CHECKPOINT MISSING',
};

/** With chDB, the embedded default keeps its signing key and checkpoints beside the store. */
function besideStore(store: StoreSettings, name: string): string | undefined {
  return store.kind === 'chdb' ? path.join(path.dirname(store.path), name) : undefined;
}

function parseTime(option: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  try {
    return new Date(`${parseQueryParam(option, { type: 'DateTime', description: '' }, value, systemClock).replace(' ', 'T')}Z`);
  } catch (error) {
    throw new UsageError(`--${(error as Error).message.replace(/^parameter /, '').split(';')[0]}`);
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function describeReport(report: VerifyReport): string {
  const lines = report.chains.map(
    (chain) => `chain ${chain.chain}: seq ${chain.first_seq}..${chain.last_seq}, ${plural(chain.rows, 'row')}, ${plural(chain.checkpoints, 'checkpoint')}, ${plural(chain.unsigned_rows, 'row')} not yet signed`,
  );
  for (const problem of report.problems) {
    const where = problem.seq === undefined ? '' : ` seq ${problem.seq}${problem.last_seq !== undefined && problem.last_seq !== problem.seq ? `..${problem.last_seq}` : ''}`;
    lines.push(`${LABELS[problem.kind] ?? problem.kind} ${problem.chain}${where}${problem.event_id ? ` event ${problem.event_id}` : ''}: ${problem.detail}`);
  }
  const rows = report.chains.reduce((sum, chain) => sum + chain.rows, 0);
  if (report.ok) lines.push(`OK: ${plural(report.chains.length, 'chain')}, ${plural(rows, 'row')}; every row, link and checkpoint verified.`);
  else {
    const counts = new Map<string, number>();
    for (const problem of report.problems) counts.set(problem.kind, (counts.get(problem.kind) ?? 0) + 1);
    lines.push(`FAILED: ${plural(report.problems.length, 'problem')} (${[...counts].map(([kind, count]) => `${count} ${kind.replace('_', ' ')}`).join(', ')}).`);
  }
  return `${lines.join('\n')}\n`;
}

export const auditVerifyCommand: Command = {
  name: 'verify',
  summary: 'prove the audit trail unaltered: hash chains, Merkle roots, signed checkpoints',
  help: `
Usage: gatehouse audit verify [--from T] [--to T] [--public-key FILE] [--checkpoint-dir DIR]
                              [--format text|json] [--config FILE]
       gatehouse audit verify --export-public-key [--signing-key FILE] [--config FILE]

Recomputes from ClickHouse every row's leaf hash (RFC 8785 canonical JSON), every link of each
partition's hash chain, and every checkpoint's RFC 6962 Merkle root and Ed25519 signature. Prints
OK, or each changed, missing, inserted or reordered row and each bad checkpoint; exits 1 on any.
--from/--to limit it to the chain windows holding events of that time range (ISO 8601, "now",
"-<n>m|h|d"). Rows after the last checkpoint are checked by the chain only ("not yet signed").

Options:
  --public-key FILE     the Ed25519 public key checkpoints must carry (PEM); keep a trusted copy.
                        Default with chDB: the signing key beside the store
  --checkpoint-dir DIR  also check that each checkpoint file there is in ClickHouse, unchanged
                        (default with chDB: the checkpoints folder beside the store, if present)
  --export-public-key   print the public key of the signing key, to hand to auditors
  --signing-key FILE    the private key --export-public-key reads (default with chDB: beside the store)
  --format text|json    a line per finding (default), or the report as JSON
  --config FILE         the config naming the store (default: as for "gatehouse start")
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      'public-key': { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      'export-public-key': { type: 'boolean', default: false },
      'signing-key': { type: 'string' },
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
    });
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not "${values.format}"`);
    const store = await loadStoreSettings(io, values.config);
    const resolve = (file: string | undefined) => file && path.resolve(io.cwd, file);

    if (values['export-public-key']) {
      const keyFile = resolve(values['signing-key']) ?? besideStore(store, 'audit-signing-key.pem');
      if (!keyFile) throw new UsageError('name the signing key: --signing-key FILE');
      io.stdout.write(signerFromKeyFile(keyFile, false).publicKeyPem);
      return 0;
    }
    const keyFile = resolve(values['public-key']) ?? besideStore(store, 'audit-signing-key.pem');
    if (!keyFile) throw new UsageError('name the trusted checkpoint key: --public-key FILE');
    if (!existsSync(keyFile)) {
      throw new UsageError(`no checkpoint key at ${keyFile}: pass the trusted public key with --public-key FILE (nothing has been signed yet if the store is new)`);
    }
    const verifier = verifierFromPem(readFileSync(keyFile, 'utf8'), keyFile);
    const defaultDirectory = besideStore(store, 'checkpoints');
    const checkpointDirectory = resolve(values['checkpoint-dir']) ?? (defaultDirectory && existsSync(defaultDirectory) ? defaultDirectory : undefined);
    const from = parseTime('from', values.from);
    const to = parseTime('to', values.to);

    const connection = createClickHouseConnection(store);
    let report: VerifyReport;
    try {
      report = await verifyAuditTrail({ connection, verifier, from, to, checkpointDirectory });
    } finally {
      await connection.close();
    }
    io.stdout.write(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report));
    return report.ok ? 0 : 1;
  },
};
