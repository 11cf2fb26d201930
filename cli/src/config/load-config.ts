import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { GatehouseConfigSchema, type GatehouseConfig } from './config-schema.ts';

/** A config that cannot be used; the message names the file, the path in it and the fix. */
export class ConfigError extends Error {
  readonly code = 'GH_ERR_CONFIG_INVALID';
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(top level)';
}

function describeIssues(source: string, issues: z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, 20).map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > 20 ? `\n  … and ${issues.length - 20} more` : '';
  return `${source} is not a valid Gatehouse config:\n${lines.join('\n')}${more}\nSee gatehouse.example.yaml for every option with its meaning.`;
}

/** Parses YAML text into a validated config; `source` names the file in errors. */
export function parseConfig(text: string, source: string): GatehouseConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(`${source} is not valid YAML:\n  ${document.errors.map((error) => error.message.split('\n')[0]).join('\n  ')}`);
  }
  const parsed = GatehouseConfigSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(source, parsed.error.issues));
  return parsed.data;
}

export async function loadConfigFile(path: string): Promise<GatehouseConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new ConfigError(`cannot read config ${path}: ${reason}. Pass --config FILE, or run without a config for the demo.`);
  }
  return parseConfig(text, path);
}
