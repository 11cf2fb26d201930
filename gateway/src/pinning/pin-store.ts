import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const DefinitionSchema = z.object({ name: z.string() }).loose();

const PinSchema = z.object({
  approved_fingerprint: z.string(),
  approved_definition: DefinitionSchema,
  approved_at: z.string(),
  approved_by: z.string(),
  /** A definition the upstream now serves that nobody approved yet. */
  pending: z
    .object({ fingerprint: z.string(), definition: DefinitionSchema, summary: z.array(z.string()), seen_at: z.string() })
    .optional(),
});
export type Pin = z.infer<typeof PinSchema>;

const PinFileSchema = z.object({ version: z.literal(1), pins: z.record(z.string(), PinSchema) });
export type PinFile = z.infer<typeof PinFileSchema>;

export class PinStoreError extends Error {
  readonly code = 'GH_ERR_PINS_FILE_INVALID';
}

/** `<portal>/<server>/<tool>`: the same server name in two portals may be two different upstreams. */
export const pinKey = (portal: string, server: string, tool: string) => `${portal}/${server}/${tool}`;

/**
 * Approved tool fingerprints in a JSON file shared by the gateway and `gatehouse tools`. Reads
 * follow the file's mtime, so an approval made by the CLI reaches a running gateway; writes
 * replace the file atomically.
 */
export function createPinStore(file: string) {
  let cached: { mtimeMs: number; pins: PinFile } | undefined;

  function read(): PinFile {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return { version: 1, pins: {} };
    }
    if (cached?.mtimeMs === mtimeMs) return cached.pins;
    const parsed = PinFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new PinStoreError(`${file} is not a Gatehouse tool-pins file: ${parsed.error.issues[0]?.message}; restore it from a backup or delete it to approve every current tool again`);
    cached = { mtimeMs, pins: parsed.data };
    return parsed.data;
  }

  return {
    file,
    read,
    /** Re-reads the file, applies `change` and writes it back. */
    update(change: (pins: PinFile) => void): void {
      cached = undefined;
      const pins = structuredClone(read());
      change(pins);
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, file);
      cached = undefined;
    },
  };
}

export type PinStore = ReturnType<typeof createPinStore>;
