import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeCursor, encodeCursor, type ExportPosition } from './export-cursor.ts';
import { ExportError } from './export-errors.ts';

/** Where a continuous exporter stands, kept in a file across restarts. */
export interface CursorFile {
  /** The saved position; the start when the file does not exist yet. */
  load(): Promise<ExportPosition | undefined>;
  /** Durable once resolved: written to a temporary file, flushed, then renamed over the old one. */
  save(position: ExportPosition | undefined): Promise<void>;
}

export function createCursorFile(path: string): CursorFile {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ExportError('GH_ERR_EXPORT_CURSOR_FILE', `cannot read the export cursor ${path}: ${(error as Error).message}`);
      }
      try {
        return decodeCursor(text);
      } catch (error) {
        throw new ExportError('GH_ERR_EXPORT_CURSOR_FILE', `the export cursor ${path} is damaged: ${(error as Error).message}`);
      }
    },
    async save(position) {
      const temporary = `${path}.tmp`;
      try {
        await mkdir(dirname(path), { recursive: true });
        const file = await open(temporary, 'w', 0o600);
        try {
          await file.writeFile(`${encodeCursor(position)}\n`);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temporary, path);
      } catch (error) {
        throw new ExportError('GH_ERR_EXPORT_CURSOR_FILE', `cannot write the export cursor ${path}: ${(error as Error).message}`);
      }
    },
  };
}
