import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';

const SOURCE_FOLDERS = ['events/src', 'gateway/src', 'dlp-worker/src', 'audit-ingest/src', 'cli/src', 'deploy/kafka'];
const DOCS = ['README.md', 'gateway/README.md', 'dlp-worker/README.md', 'deploy/kafka/README.md', 'audit-ingest/README.md'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

// Every stable error code the code can raise is documented with its fix, as users look them up.
describe('error codes', () => {
  it('every GH_ERR_* code in the sources is documented in a README', () => {
    const codes = new Set(SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(REPO_ROOT, folder))).flatMap((file) => readFileSync(file, 'utf8').match(/GH_ERR_[A-Z0-9_]+/g) ?? []));
    const docs = DOCS.map((doc) => readFileSync(path.join(REPO_ROOT, doc), 'utf8')).join('\n');
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((code) => !docs.includes(`\`${code}\``)).sort()).toEqual([]);
  });
});
