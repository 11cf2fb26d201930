import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../../events/src/index.ts';
import { generateApiKey, hashApiKey } from './api-key-format.ts';
import { ApiKeyFileError } from './identity-errors.ts';

/** One service account's key, as stored: its SHA-256 digest, never the key. */
export const ApiKeyRecordSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex digits'),
    name: z.string().min(1),
    subject: z.string().min(1),
    email: z.string().default(''),
    groups: z.array(z.string()).default([]),
    /** Portals the key may be used on; a key always names at least one. */
    portals: z.array(z.string().min(1)).min(1, 'a key is scoped to at least one portal'),
    scopes: z.array(z.string()).default([]),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
    created_at: z.iso.datetime({ offset: true }),
    expires_at: z.iso.datetime({ offset: true }).nullable(),
    revoked_at: z.iso.datetime({ offset: true }).nullable(),
  })
  .strict();
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

export const ApiKeyFileSchema = z
  .object({ version: z.literal(1), keys: z.array(ApiKeyRecordSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.keys.forEach((key, index) => {
      if (seen.has(key.id)) ctx.addIssue({ code: 'custom', path: ['keys', index, 'id'], message: `key id ${key.id} is used twice` });
      seen.add(key.id);
    });
  });
export type ApiKeyFile = z.infer<typeof ApiKeyFileSchema>;

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export function apiKeyStatus(record: ApiKeyRecord, now: number): ApiKeyStatus {
  if (record.revoked_at !== null) return 'revoked';
  if (record.expires_at !== null && Date.parse(record.expires_at) <= now) return 'expired';
  return 'active';
}

/** Parses the file's text; `file` names it in errors. */
export function parseApiKeyFile(text: string, file: string): ApiKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiKeyFileError(`${file} is not valid JSON; restore it from a backup or recreate the keys with "gatehouse keys create"`);
  }
  const parsed = ApiKeyFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ApiKeyFileError(`${file} is not a valid API key file:\n${problems.join('\n')}\nEdit it only with "gatehouse keys".`);
  }
  return parsed.data;
}

/** The keys in `file`; a file that does not exist yet holds no keys. */
export async function readApiKeyFile(file: string): Promise<ApiKeyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: [] };
    throw new ApiKeyFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseApiKeyFile(text, file);
}

/**
 * Replaces the file atomically (write a private temporary file beside it, flush, rename), so a
 * gateway reading it concurrently sees the old keys or the new ones, never half a file.
 */
export async function writeApiKeyFile(file: string, contents: ApiKeyFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(ApiKeyFileSchema.parse(contents), null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export interface NewApiKey {
  name: string;
  subject: string;
  email?: string;
  groups: string[];
  portals: string[];
  scopes: string[];
  /** Milliseconds the key is valid from now; `null` for a key that never expires. */
  validForMs: number | null;
}

/** Adds a key to the file and returns it: the only time the key exists outside the caller's hands. */
export async function createApiKey(file: string, spec: NewApiKey, clock: Clock): Promise<{ key: string; record: ApiKeyRecord }> {
  const contents = await readApiKeyFile(file);
  const { id, key } = generateApiKey();
  const now = clock.now();
  const record = ApiKeyRecordSchema.parse({
    id,
    name: spec.name,
    subject: spec.subject,
    email: spec.email ?? '',
    groups: spec.groups,
    portals: spec.portals,
    scopes: spec.scopes,
    sha256: hashApiKey(key),
    created_at: new Date(now).toISOString(),
    expires_at: spec.validForMs === null ? null : new Date(now + spec.validForMs).toISOString(),
    revoked_at: null,
  });
  await writeApiKeyFile(file, { version: 1, keys: [...contents.keys, record] });
  return { key, record };
}

/** Marks a key revoked; `undefined` when the file has no key with that id. Revoking twice keeps the first time. */
export async function revokeApiKey(file: string, id: string, clock: Clock): Promise<{ record: ApiKeyRecord; alreadyRevoked: boolean } | undefined> {
  const contents = await readApiKeyFile(file);
  const existing = contents.keys.find((record) => record.id === id);
  if (!existing) return undefined;
  if (existing.revoked_at !== null) return { record: existing, alreadyRevoked: true };
  const revoked = { ...existing, revoked_at: new Date(clock.now()).toISOString() };
  await writeApiKeyFile(file, { version: 1, keys: contents.keys.map((record) => (record.id === id ? revoked : record)) });
  return { record: revoked, alreadyRevoked: false };
}
