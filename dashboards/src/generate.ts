import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderGeneratedFiles } from './render.ts';

/** `npm run dashboards`: rewrites dashboards/generated/ from the code, removing files no dashboard produces. */
export const GENERATED_DIR = path.resolve(import.meta.dirname, '..', 'generated');

function existingFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile());
}

if (import.meta.main) {
  const files = renderGeneratedFiles();
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const stale of existingFiles(GENERATED_DIR)) {
    if (!files.has(path.relative(GENERATED_DIR, stale))) rmSync(stale);
  }
  for (const [relative, content] of files) {
    const file = path.join(GENERATED_DIR, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  process.stdout.write(`Wrote ${files.size} files to ${path.relative(process.cwd(), GENERATED_DIR) || '.'}\n`);
}
