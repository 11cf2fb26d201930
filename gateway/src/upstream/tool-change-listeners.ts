import type { Logger } from 'pino';

/** Listeners for "the upstream's tools changed"; one failing listener never stops the others. */
export class ToolChangeListeners {
  readonly #listeners = new Set<() => void>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(listener: () => void): void {
    this.#listeners.add(listener);
  }

  emit(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        this.#logger.error({ err: error }, 'a tools-changed listener threw; the other listeners still ran');
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
