import { afterEach, describe, expect, it } from 'vitest';
import { connectHttpUpstream, connectUpstream, type UpstreamConnection } from '../src/upstream/index.ts';
import { captureLogger } from './support/capture-logger.ts';
import { startEverythingServer, freePort, type EverythingServer } from './support/everything-server.ts';
import { startHeaderRecordingProxy, type HeaderRecordingProxy } from './support/header-recording-proxy.ts';

describe('Streamable HTTP upstream against @modelcontextprotocol/server-everything', () => {
  let server: EverythingServer | undefined;
  let proxy: HeaderRecordingProxy | undefined;
  let connection: UpstreamConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    await proxy?.close();
    await server?.stop();
    connection = undefined;
    proxy = undefined;
    server = undefined;
  });

  it('lists the tools and calls echo', async () => {
    server = await startEverythingServer();
    const { logger } = captureLogger();
    connection = await connectUpstream({ name: 'everything', transport: 'streamable-http', url: server.url, headers: {} }, logger);

    const tools = await connection.listTools();
    const result = await connection.callTool('echo', { message: 'hello over http' });

    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    expect(tools.find((tool) => tool.name === 'echo')?.inputSchema).toMatchObject({ type: 'object' });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello over http' }]);
  });

  it('sends the configured headers on every request and keeps them out of the logs', async () => {
    server = await startEverythingServer();
    proxy = await startHeaderRecordingProxy(server.port);
    const captured = captureLogger();
    const token = `token-${crypto.randomUUID()}`;
    connection = await connectHttpUpstream({
      name: 'everything',
      url: proxy.url,
      headers: { Authorization: `Bearer ${token}`, 'X-Tenant': 'acme' },
      logger: captured.logger,
    });

    await connection.listTools();
    await connection.callTool('echo', { message: 'with headers' });
    await connection.close();
    connection = undefined;

    const posts = proxy.requests.filter((request) => request.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (const request of proxy.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${token}`);
      expect(request.headers['x-tenant']).toBe('acme');
    }
    expect(JSON.stringify(captured.lines)).not.toContain(token);
  });

  it('re-initializes once after the server restarted and lost the session, then the call succeeds', async () => {
    const port = await freePort();
    server = await startEverythingServer(port);
    const captured = captureLogger();
    connection = await connectHttpUpstream({ name: 'everything', url: server.url, headers: {}, logger: captured.logger });
    await connection.callTool('echo', { message: 'first' });
    let toolsChanged = 0;
    connection.onToolsChanged(() => {
      toolsChanged += 1;
    });

    await server.stop();
    server = await startEverythingServer(port);
    const result = await connection.callTool('echo', { message: 'after restart' });

    expect(result.content).toEqual([{ type: 'text', text: 'Echo: after restart' }]);
    expect(captured.lines.some((line) => line.msg === 'upstream session lost; re-initializing')).toBe(true);
    expect(toolsChanged).toBe(1);
  });

  it('fails with GH_ERR_UPSTREAM_UNAVAILABLE while the server is down, and recovers once it is back', async () => {
    const port = await freePort();
    server = await startEverythingServer(port);
    const { logger } = captureLogger();
    connection = await connectHttpUpstream({ name: 'everything', url: server.url, headers: {}, logger, connectTimeoutMs: 5_000 });
    await server.stop();

    await expect(connection.callTool('echo', { message: 'nobody home' })).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_UNAVAILABLE', upstream: 'everything' });

    server = await startEverythingServer(port);
    const result = await connection.callTool('echo', { message: 'back again' });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: back again' }]);
  });

  it('rejects with GH_ERR_UPSTREAM_START when nothing listens at the url', async () => {
    const { logger } = captureLogger();
    const port = await freePort();

    const attempt = connectHttpUpstream({ name: 'nowhere', url: `http://127.0.0.1:${port}/mcp`, headers: {}, logger, connectTimeoutMs: 5_000 });

    await expect(attempt).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_START', upstream: 'nowhere' });
  });
});
