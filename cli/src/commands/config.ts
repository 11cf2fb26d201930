import type { Command } from '../command.ts';
import { loadSettings } from '../config/load-settings.ts';
import { parseCommandArgs, UsageError } from '../parse-args.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'Validate a gatehouse.yaml (config check [FILE])',
  help: `
Usage: gatehouse config check [FILE]

Validates a Gatehouse config file and the environment it needs (variables named by
{ env: NAME } entries). Prints a summary and exits 0 when it can be used; otherwise prints
each problem with its path in the file and what is expected, and exits 1.

FILE defaults to $GATEHOUSE_CONFIG, then ./gatehouse.yaml.
`,
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {}, true);
    const [subcommand, file, ...rest] = positionals;
    if (subcommand !== 'check' || rest.length > 0) throw new UsageError('expected "config check [FILE]"');
    const settings = await loadSettings(io, { configPath: file, allowDemo: false });
    const servers = settings.portals.reduce((count, portal) => count + portal.servers.length, 0);
    io.stdout.write(
      `${settings.source}: OK — ${settings.portals.length} portal(s), ${servers} server(s), ${settings.tokens.length} token(s), ` +
        `DLP profiles: ${Object.keys(settings.config.dlp.profiles).join(', ')}\n`,
    );
    return 0;
  },
};
