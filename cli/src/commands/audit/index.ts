import type { Command } from '../../command.ts';
import { UsageError } from '../../parse-args.ts';
import { auditExportCommand } from './export.ts';
import { auditMigrateCommand } from './migrate.ts';
import { auditQueryCommand } from './query.ts';
import { auditVerifyCommand } from './verify.ts';

/** `gatehouse audit <subcommand>`: each subcommand is a Command of its own, in this folder. */
const subcommands: Command[] = [auditQueryCommand, auditVerifyCommand, auditMigrateCommand, auditExportCommand];

export const auditCommand: Command = {
  name: 'audit',
  summary: `The audit trail: ${subcommands.map((command) => command.name).join(', ')}`,
  help: `
Usage: gatehouse audit <subcommand> [options]

Subcommands:
${subcommands.map((command) => `  ${command.name.padEnd(10)}  ${command.summary}`).join('\n')}

Run "gatehouse audit <subcommand> --help" for its options.
`,
  subcommands,
  async run(args, io) {
    const [name, ...rest] = args;
    const subcommand = subcommands.find((candidate) => candidate.name === name);
    if (!subcommand) throw new UsageError(name ? `unknown subcommand "${name}"` : 'name a subcommand');
    return subcommand.run(rest, io);
  },
};
