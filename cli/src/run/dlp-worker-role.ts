import type { Logger } from 'pino';
import type { Bus, Clock, Topics } from '../../../events/src/index.ts';
import { createDlpWorker } from '../../../dlp-worker/src/index.ts';
import type { RuntimeSettings } from '../config/runtime-settings.ts';

export async function startDlpWorker(input: { bus: Bus; topics: Topics; settings: RuntimeSettings; clock: Clock; logger: Logger }) {
  await input.bus.ensureTopics([input.topics.invocations, input.topics.audit]);
  const worker = createDlpWorker({
    bus: input.bus,
    topics: input.topics,
    dlp: input.settings.config.dlp,
    payloadCapture: input.settings.config.audit.payload_capture,
    clock: input.clock,
    logger: input.logger,
    ...(input.settings.dlpHashKey === undefined ? {} : { hashKey: input.settings.dlpHashKey }),
  });
  await worker.start();
  return worker;
}
