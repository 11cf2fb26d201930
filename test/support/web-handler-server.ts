import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export interface WebHandlerServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a fetch-style handler (Request in, Response out, as the MCP SDK's server transports
 * are) over node:http on 127.0.0.1, streaming responses such as SSE as they are written. A
 * handler that throws answers 500 with a JSON-RPC error saying why.
 */
export async function startWebHandlerServer(serve: (request: Request) => Promise<Response>, options: { port?: number } = {}): Promise<WebHandlerServer> {
  const http = createServer((req, res) => {
    void respond(req, res, serve).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: `test server failed: ${String(error)}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function respond(req: IncomingMessage, res: ServerResponse, serve: (request: Request) => Promise<Response>): Promise<void> {
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  const response = await serve(await toWebRequest(req, aborted.signal));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as NodeReadableStream);
  body.on('error', () => res.destroy());
  body.pipe(res);
}

async function toWebRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, body, signal });
}
