/** The thread of insert-preparer.ts: prepares the batches of each message and sends them back in one. */
import { parentPort } from 'node:worker_threads';
import { transferablesOf, unpackRequest, type PrepareRequest, type PrepareResponse } from './insert-preparer.ts';
import { prepareBatch } from './prepare-inserts.ts';

const port = parentPort;
if (!port) throw new Error('prepare-inserts-thread.ts runs as a worker thread of insert-preparer.ts');

port.on('message', ({ requests }: { requests: PrepareRequest[] }) => {
  const transfer: ArrayBuffer[] = [];
  const responses = requests.map((request): PrepareResponse => {
    try {
      const batch = prepareBatch(request.topic, unpackRequest(request), request.tail, request.options);
      transfer.push(...transferablesOf(batch));
      return { id: request.id, batch };
    } catch (error) {
      return { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
  });
  port.postMessage({ responses }, transfer);
});
