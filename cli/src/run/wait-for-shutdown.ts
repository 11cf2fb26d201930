import type { Logger } from 'pino';

/** Resolves on the first SIGINT or SIGTERM, after `close` finished; a second signal exits at once. */
export function closeOnSignal(close: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) process.exit(130);
      closing = true;
      logger.info({ signal }, 'shutting down');
      close()
        .catch((error: unknown) => logger.error({ err: error }, 'shutdown failed'))
        .finally(() => resolve());
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
