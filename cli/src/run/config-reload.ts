import path from 'node:path';
import type { Logger } from 'pino';
import { createEvent, type Bus, type Clock, type Topics } from '../../../events/src/index.ts';
import { configChanges } from '../config/config-diff.ts';
import { parseConfig } from '../config/load-config.ts';
import { resolveRuntimeSettings, type CommandLineOverrides, type RuntimeSettings } from '../config/runtime-settings.ts';
import { watchConfigFile } from '../config/config-watcher.ts';

/** Settings that are read once at start; a change to them is reported as needing a restart. */
const RESTART_ONLY = ['gateway.host', 'gateway.port', 'gateway.instance_id', 'gateway.max_body_bytes', 'bus', 'store'];

const CONFIG_PRINCIPAL = { subject: 'gatehouse.yaml', email: '', groups: [] };

/**
 * Applies edits of the config file while running: the new file is validated first; a broken one
 * keeps the running config and says why in the log. Every change, applied or rejected, is an
 * audit event with the file's hash and the paths that changed.
 */
export function reloadOnConfigChange(input: {
  settings: RuntimeSettings;
  env: NodeJS.ProcessEnv;
  overrides: CommandLineOverrides;
  apply: (next: RuntimeSettings) => Promise<void>;
  bus: Bus;
  topics: Topics;
  clock: Clock;
  logger: Logger;
}): { close(): void } | undefined {
  const file = input.settings.source;
  if (!path.isAbsolute(file)) return undefined;
  const { bus, topics, clock, logger } = input;
  let current = input.settings;

  const audit = (sha256: string, applied: boolean, changes: string[]) =>
    bus
      .publish(
        topics.audit,
        createEvent('config.changed', { trace_id: crypto.randomUUID().replaceAll('-', ''), gateway: current.instanceId, principal: CONFIG_PRINCIPAL }, { file, sha256, applied, changes }, clock),
      )
      .catch((error: unknown) => logger.error({ err: error }, 'could not audit a config change'));

  const watcher = watchConfigFile(
    file,
    async ({ text, sha256 }) => {
      let next: RuntimeSettings;
      try {
        next = resolveRuntimeSettings(parseConfig(text, file), file, input.env, path.dirname(file), input.overrides);
      } catch (error) {
        const reason = (error as Error).message;
        logger.error({ file, sha256, reason }, 'the changed config is invalid; the running config stays in effect');
        await audit(sha256, false, [`rejected: ${reason}`]);
        return;
      }
      const changes = configChanges(current.config, next.config).map((change) =>
        RESTART_ONLY.some((setting) => change === setting || change.startsWith(`${setting}.`)) ? `${change} (takes effect after a restart)` : change,
      );
      try {
        await input.apply(next);
      } catch (error) {
        logger.error({ file, sha256, err: error }, 'applying the changed config failed; the running config stays in effect');
        await audit(sha256, false, [`failed to apply: ${(error as Error).message}`]);
        return;
      }
      current = next;
      logger.info({ file, sha256, changes }, 'config reloaded');
      await audit(sha256, true, changes);
    },
    { onError: (error) => logger.warn({ file, err: error }, 'could not read the config file; the running config stays in effect') },
  );
  void watcher.start().catch((error: unknown) => logger.error({ file, err: error }, 'cannot watch the config file; edits need a restart'));
  return { close: () => watcher.close() };
}
