import { createServer } from 'node:net';
import { LocalKafkaError } from './local-kafka-error.ts';

/** A port that was free on 127.0.0.1 a moment ago, different from `avoid`. */
export async function freePort(avoid?: number): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((done, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => done(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port !== avoid) return port;
  }
}

export async function assertPortFree(port: number, flag: string): Promise<void> {
  await new Promise<void>((done, fail) => {
    const server = createServer();
    server.once('error', () =>
      fail(new LocalKafkaError('GH_ERR_KAFKA_PORT_IN_USE', `port ${port} on 127.0.0.1 is already in use; choose another with ${flag} <port>`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => done()));
  });
}
