import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ConfigFileChange {
  text: string;
  sha256: string;
}

/**
 * Calls `onChange` with the new content whenever the config file's content changes. Watches the
 * folder rather than the file, since editors and Kubernetes ConfigMaps replace files instead of
 * writing them in place; bursts of events are coalesced.
 */
export function watchConfigFile(file: string, onChange: (change: ConfigFileChange) => void, options: { debounceMs?: number; onError?: (error: unknown) => void } = {}) {
  const debounceMs = options.debounceMs ?? 150;
  let lastSha: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;

  const check = async () => {
    try {
      const text = await readFile(file, 'utf8');
      const sha256 = createHash('sha256').update(text).digest('hex');
      if (sha256 === lastSha) return;
      lastSha = sha256;
      onChange({ text, sha256 });
    } catch (error) {
      options.onError?.(error);
    }
  };

  return {
    /** Records the current content as the running one and starts watching. */
    async start(): Promise<void> {
      lastSha = createHash('sha256').update(await readFile(file, 'utf8')).digest('hex');
      watcher = watch(path.dirname(file), (_event, name) => {
        if (name !== null && name !== path.basename(file)) return;
        clearTimeout(timer);
        timer = setTimeout(() => void check(), debounceMs);
      });
    },
    close(): void {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
