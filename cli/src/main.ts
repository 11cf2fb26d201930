import { commands } from './commands/index.ts';
import type { CommandIO } from './command.ts';
import { UsageError } from './parse-args.ts';
import { ConfigError } from './config/load-config.ts';

// A reader that stops early (`gatehouse audit export … | head`) closes the pipe: end as a program
// that gets SIGPIPE does (128 + 13), quietly, rather than with an unhandled-error stack trace.
const SIGPIPE_EXIT = 141;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(SIGPIPE_EXIT);
});

const io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: gatehouse <command> [options]',
    '',
    'Gatehouse is a self-hosted MCP gateway: one front door for your MCP servers, with access',
    'control, DLP on tool arguments and results, and an audit trail in ClickHouse.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run "gatehouse <command> --help" for the options of a command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`gatehouse: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    const subcommand = command.subcommands?.find((candidate) => candidate.name === args[0]);
    io.stdout.write(`${(subcommand ?? command).help.trim()}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`gatehouse ${name}: ${error.message}\nRun "gatehouse ${name} --help" for usage.\n`);
      return 2;
    }
    const code = (error as { code?: unknown }).code;
    const detail = typeof code === 'string' && code.startsWith('GH_ERR_') ? ` [${code}]` : '';
    io.stderr.write(`gatehouse ${name}: ${(error as Error).message}${detail}\n`);
    if (!(error instanceof ConfigError) && io.env['LOG_LEVEL'] === 'debug') io.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
