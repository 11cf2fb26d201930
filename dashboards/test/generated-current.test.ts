import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR } from '../src/generate.ts';
import { renderGeneratedFiles } from '../src/render.ts';

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(path.join(folder, name)).isFile());
}

// Generated JSON is provisioned into Grafana as committed; it must be what the code produces.
describe('dashboards/generated', () => {
  const rendered = renderGeneratedFiles();

  it('holds exactly the files the code generates', () => {
    expect(filesUnder(GENERATED_DIR).sort()).toEqual([...rendered.keys()].sort());
  });

  it.each([...rendered.keys()])('%s is current; run "npm run dashboards" after changing dashboards/src', (file) => {
    expect(readFileSync(path.join(GENERATED_DIR, file), 'utf8')).toBe(rendered.get(file));
  });
});
