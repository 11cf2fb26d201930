/** What a CLI command may touch; passed in so tests run commands in-process. */
export interface CommandIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * One `gatehouse <name>` command. `help` is printed for `--help`; `run` returns the exit code
 * (0 ok, 1 failure, 2 usage error) and writes errors to stderr with what to do about them.
 */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** For a command with subcommands (`gatehouse audit query`): each documents itself with --help. */
  subcommands?: Command[];
  run(args: string[], io: CommandIO): Promise<number>;
}
