import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';

/** A command line that cannot be used; printed with the command's --help hint, exit code 2. */
export class UsageError extends Error {
  readonly code = 'GH_ERR_CLI_USAGE';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with errors a user can act on. */
export function parseCommandArgs<T extends Options>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseNodeArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parsePortOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${value}" is not a port number (0-65535)`);
  return port;
}
