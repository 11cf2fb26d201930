/** The thread of insert-preparer.ts: prepares the batches of each message and sends them back in one. */
import { parentPort } from 'node:worker_threads';
import { createSpareBuffers } from './byte-buffers.ts';
import { SPARES_KEPT, transferablesOf, unpackRequest, type FromPrepareThread, type PrepareResponse, type ToPrepareThread } from './insert-preparer.ts';
import { prepareBatch } from './prepare-inserts.ts';

const port = parentPort;
if (!port) throw new Error('prepare-inserts-thread.ts runs as a worker thread of insert-preparer.ts');

/** Memory of insert bodies the main thread gave back, for the next ones. */
const bodySpares = createSpareBuffers(SPARES_KEPT);

port.on('message', ({ requests, spares }: ToPrepareThread) => {
  for (const memory of spares) bodySpares.keep(memory);
  const transfer: ArrayBuffer[] = [];
  const valuesDone: ArrayBuffer[] = [];
  const responses = requests.map((request): PrepareResponse => {
    try {
      const batch = prepareBatch(request.topic, unpackRequest(request), request.tail, request.options, bodySpares);
      transfer.push(...transferablesOf(batch));
      return { id: request.id, batch };
    } catch (error) {
      return { id: request.id, error: error instanceof Error ? error.message : String(error) };
    } finally {
      // Nothing refers to the values once their batch is prepared: the main thread packs the next ones into them.
      if (request.values.buffer instanceof ArrayBuffer) valuesDone.push(request.values.buffer);
    }
  });
  const message: FromPrepareThread = { responses, spares: valuesDone };
  port.postMessage(message, [...transfer, ...valuesDone]);
});
