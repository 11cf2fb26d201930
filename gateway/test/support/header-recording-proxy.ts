import http, { type IncomingHttpHeaders } from 'node:http';

export interface HeaderRecordingProxy {
  url: string;
  /** Headers of every request that passed through, in order. */
  requests: Array<{ method: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A pass-through HTTP proxy on 127.0.0.1 that records request headers, to check what a client sends. */
export async function startHeaderRecordingProxy(targetPort: number): Promise<HeaderRecordingProxy> {
  const requests: HeaderRecordingProxy['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', headers: req.headers });
    const forward = http.request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${targetPort}` } },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
  return {
    url: `http://127.0.0.1:${address.port}/mcp`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
