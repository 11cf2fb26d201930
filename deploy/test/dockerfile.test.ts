import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatehouseConfigSchema } from '../../cli/src/config/config-schema.ts';
import { DEFAULT_METRICS_PORTS } from '../../cli/src/config/observability-config-schema.ts';
import { REPO_ROOT, importGraph } from './support/code-facts.ts';

interface Instruction {
  keyword: string;
  args: string;
}

function instructions(file: string): Instruction[] {
  return readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

/** .dockerignore patterns as regular expressions over repository-relative paths (and their parent folders). */
function ignoredBy(patterns: string[]): (file: string) => boolean {
  const regexes = patterns.map((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}$`));
  return (file) => {
    const parts = file.split('/');
    return parts.some((_, index) => regexes.some((regex) => regex.test(parts.slice(0, index + 1).join('/'))));
  };
}

// The image is never built here: these checks hold its Dockerfile to what the code loads.
describe('Dockerfile', () => {
  const steps = instructions(path.join(REPO_ROOT, 'Dockerfile'));
  const finalStage = steps.slice(steps.findLastIndex((step) => step.keyword === 'FROM'));
  const copied = finalStage.filter((step) => step.keyword === 'COPY' && !step.args.startsWith('--from')).map((step) => step.args.split(/\s+/)[0]!);
  const entrypoint = JSON.parse(finalStage.find((step) => step.keyword === 'ENTRYPOINT')!.args) as string[];
  const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const graph = importGraph(entrypoint.find((arg) => arg.endsWith('.ts'))!);

  it('runs the gatehouse CLI on Node 24, as a non-root user', () => {
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint).toContain('cli/src/main.ts');
    expect(finalStage[0]!.args).toMatch(/^node:24/);
    expect(finalStage.find((step) => step.keyword === 'USER')?.args).toBe('node');
  });

  it('copies every source file the CLI loads', () => {
    expect(graph.files.size).toBeGreaterThan(50);
    const missing = [...graph.files].filter((file) => !copied.some((source) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`)));
    expect(missing).toEqual([]);
  });

  it('installs every package the CLI loads as a production dependency (npm install --omit=dev)', () => {
    const devOnly = [...graph.packages].filter((name) => !(name in packageJson.dependencies));
    expect(devOnly).toEqual([]);
  });

  it('keeps out of the build context nothing it copies', () => {
    const ignored = ignoredBy(readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')));
    expect([...graph.files, 'package.json', 'package-lock.json', 'gatehouse.example.yaml'].filter(ignored)).toEqual([]);
  });

  it('exposes the default ports of the gateway and of the other roles\' metrics', () => {
    const defaults = GatehouseConfigSchema.parse({ portals: [{ name: 'p', servers: [{ name: 's', transport: 'stdio', command: 'true' }] }] });
    const exposed = finalStage.filter((step) => step.keyword === 'EXPOSE').flatMap((step) => step.args.split(/\s+/).map(Number));
    expect(exposed).toEqual(expect.arrayContaining([defaults.gateway.port, ...Object.values(DEFAULT_METRICS_PORTS)]));
  });
});
