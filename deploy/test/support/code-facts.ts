import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { commands } from '../../../cli/src/commands/index.ts';
import { GatehouseConfigSchema, type GatehouseConfig } from '../../../cli/src/config/config-schema.ts';
import { REPO_ROOT } from '../../../cli/src/config/load-settings.ts';

export { REPO_ROOT };

/** What the code accepts, read from the code itself, for the manifests to be checked against. */
export const COMMAND_NAMES = new Set(commands.map((command) => command.name));

function tsFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => file.endsWith('.ts') && statSync(file).isFile());
}

/** Environment variables the CLI's config module reads: `env['NAME']`, and names kept in `…_ENV` constants. */
export function environmentReadByCode(): Set<string> {
  const names = new Set<string>();
  for (const file of tsFiles(path.join(REPO_ROOT, 'cli', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) names.add(match[1]!);
    for (const match of text.matchAll(/_ENV\s*=\s*['"]([A-Z][A-Z0-9_]*)['"]/g)) names.add(match[1]!);
  }
  return names;
}

/** A deployed gatehouse.yaml, validated by the real config schema. */
export function loadDeployedConfig(file: string): { config: GatehouseConfig; envRefs: Set<string> } {
  const raw: unknown = parse(readFileSync(file, 'utf8'));
  return { config: GatehouseConfigSchema.parse(raw), envRefs: envRefsIn(raw) };
}

/** The `{ env: NAME }` references of a config: variables the roles read at start. */
function envRefsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) envRefsIn(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['env'] === 'string' && Object.keys(record).length === 1) found.add(record['env']);
    for (const item of Object.values(record)) envRefsIn(item, found);
  }
  return found;
}

export interface ImportGraph {
  /** Repository-relative paths of every source file the entry loads. */
  files: Set<string>;
  /** npm packages loaded at run time (type-only imports excluded). */
  packages: Set<string>;
}

/** Follows the static and dynamic imports of `entry` through the repository. */
export function importGraph(entry: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.resolve(REPO_ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const relative = path.relative(REPO_ROOT, file);
    if (files.has(relative)) continue;
    if (!existsSync(file)) throw new Error(`${relative} is imported but does not exist`);
    files.add(relative);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(import|export)(\s+type)?[^'"]*?\sfrom\s+'([^']+)'|import\('([^']+)'\)/g)) {
      const specifier = match[3] ?? match[4]!;
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !match[2]) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  return { files, packages };
}

export function readYamlDocuments(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split(/^---$/m)
    .map((text) => parse(text, { merge: true }) as Record<string, unknown> | null)
    .filter((document): document is Record<string, unknown> => document !== null);
}

/** `http://host:port/path` → its parts. */
export function urlParts(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port), path: parsed.pathname };
}
