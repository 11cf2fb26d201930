export interface OutgoingMessage {
  topic: string;
  key: string;
  value: Buffer;
}

/**
 * Group commit for a producer that allows one request in flight (as an idempotent producer must
 * to keep order): publishes made while a request is in flight wait and leave together in the
 * next one, so throughput grows with concurrency instead of being one message per round trip.
 * Order is kept: messages leave in the order they were published.
 */
export function createPublishBatcher(send: (messages: OutgoingMessage[]) => Promise<void>, maxBatchSize = 500) {
  let queue: Array<{ message: OutgoingMessage; resolve: () => void; reject: (error: unknown) => void }> = [];
  let sending = false;

  async function drain(): Promise<void> {
    sending = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatchSize);
      queue = queue.slice(batch.length);
      try {
        await send(batch.map((entry) => entry.message));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    sending = false;
  }

  return function publish(message: OutgoingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      queue.push({ message, resolve, reject });
      if (!sending) void drain();
    });
  };
}
