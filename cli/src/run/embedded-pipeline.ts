import type { Logger } from 'pino';
import { createInProcessBus, systemClock, topicNames, type Bus, type Clock, type Topics } from '../../../events/src/index.ts';
import type { Gateway } from '../../../gateway/src/index.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';
import { registerLocalQueryEndpoint, writeControlFile, removeControlFile } from './local-query-endpoint.ts';
import { openAuditStore, startAuditIngest, type AuditStore } from './audit-ingest-role.ts';
import { startDlpWorker } from './dlp-worker-role.ts';
import { createGatewayRole } from './gateway-role.ts';
import { createRoleObservability } from './role-observability.ts';
import { storeReachable } from './store-reachable.ts';
import { auditQueryApi } from '../../../audit-ingest/src/index.ts';

export interface EmbeddedPipeline {
  url: string;
  gateway: Gateway;
  bus: Bus;
  store: AuditStore;
  topics: Topics;
  /** Applies a reloaded config to the gateway. */
  reload(settings: RuntimeSettings): Promise<void>;
  close(): Promise<void>;
}

/**
 * gateway, dlp-worker and audit-ingest in one process on the in-process bus: the embedded
 * default. The same handlers run here as in the distributed roles; only the bus differs.
 */
export async function startEmbeddedPipeline(settings: RuntimeSettings, logger: Logger, clock: Clock = systemClock): Promise<EmbeddedPipeline> {
  const topics = topicNames(settings.config.bus.kafka.topic_prefix);
  const observability = createRoleObservability(settings, 'embedded');
  const bus = observability.observe(
    createInProcessBus({ onHandlerError: (error, topic, group) => logger.error({ err: error, topic, group }, 'bus handler failed; retrying') }),
  );
  const store = await openAuditStore(settings.store, logger, { retentionDays: settings.auditTrail.retentionDays });
  const stopped: Array<() => Promise<void>> = [async () => store.close(), () => observability.close()];
  try {
    const ingest = await startAuditIngest({ bus, topics, store, logger, trail: settings.auditTrail });
    stopped.unshift(() => ingest.stop());
    const worker = await startDlpWorker({ bus, topics, settings, clock, logger });
    stopped.unshift(() => worker.stop());
    const { gateway, reload, principalOf } = createGatewayRole({
      settings,
      bus,
      topics,
      clock,
      logger,
      observability: { ...observability, readiness: [storeReachable(store.connection)] },
    });
    stopped.unshift(() => gateway.close());
    const localQuery = await registerLocalQueryEndpoint(gateway.app, store);
    await gateway.app.register(auditQueryApi, { connection: store.connection, authenticate: principalOf, allowedGroups: settings.auditTrail.queryApiGroups, clock });
    await gateway.start();
    const url = await gateway.listen(settings.host, settings.port);
    const chdbPath = settings.store.kind === 'chdb' ? settings.store.path : undefined;
    if (chdbPath) {
      await writeControlFile(chdbPath, { pid: process.pid, url, secret: localQuery.secret });
      stopped.unshift(() => removeControlFile(chdbPath));
    }
    return {
      url,
      gateway,
      bus,
      store,
      topics,
      reload,
      // Fixed order: stop taking calls and finish those in flight, stop the worker, flush the
      // audit writer, then close the bus and the store.
      async close() {
        for (const stop of stopped.splice(0)) await stop();
        await bus.close();
      },
    };
  } catch (error) {
    for (const stop of stopped.splice(0)) await stop().catch(() => undefined);
    throw error;
  }
}
