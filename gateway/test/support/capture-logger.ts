import pino, { type Logger } from 'pino';

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  /** Resolves with the first line (already written or future) whose `msg` contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function captureLogger(): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ text: string; resolve: (line: Record<string, unknown>) => void }> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(raw: string) {
        const line = JSON.parse(raw) as Record<string, unknown>;
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (String(line.msg).includes(waiter.text)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      },
    },
  );
  return {
    logger,
    lines,
    waitFor(text, timeoutMs = 10_000) {
      const seen = lines.find((line) => String(line.msg).includes(text));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line containing "${text}" within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          text,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}
