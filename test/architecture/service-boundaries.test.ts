import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';

const SERVICES = ['gateway', 'dlp-worker', 'audit-ingest'];

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

// Services share only the event contract (events/); the CLI is the one place that wires them.
describe('service boundaries', () => {
  it.each([...SERVICES, 'events'])('%s imports no other service', (service) => {
    const others = [...SERVICES, 'cli'].filter((other) => other !== service);
    const offending = files(path.join(REPO_ROOT, service, 'src')).flatMap((file) => {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((match) => match[1]!);
      return imports
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => path.relative(REPO_ROOT, path.resolve(path.dirname(file), specifier)))
        .filter((target) => others.some((other) => target.startsWith(`${other}/`)))
        .map((target) => `${path.relative(REPO_ROOT, file)} -> ${target}`);
    });
    expect(offending).toEqual([]);
  });
});
