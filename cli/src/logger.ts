import pino, { type Logger } from 'pino';

/** JSON logs on stderr, so stdout stays free for what a command prints; secrets are redacted by key. */
export function createLogger(env: NodeJS.ProcessEnv, role: string): Logger {
  return pino(
    {
      level: env['LOG_LEVEL'] || 'info',
      base: { role },
      redact: { paths: ['*.authorization', '*.headers.authorization', '*.password', '*.token'], censor: '[REDACTED]' },
    },
    pino.destination({ dest: 2, sync: false }),
  );
}
