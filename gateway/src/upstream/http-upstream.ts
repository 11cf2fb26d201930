import { SdkError, SdkErrorCode, SdkHttpError, StreamableHTTPClientTransport, type Client, type VersionNegotiationMode } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';
import { createUpstreamClient } from './create-upstream-client.ts';
import { toUpstreamError } from './to-upstream-error.ts';
import { createUpstreamEvents } from './upstream-events.ts';
import type { UpstreamConnection } from './upstream-connection.ts';
import { upstreamOperations, type RunUpstreamRequest } from './upstream-operations.ts';
import { UpstreamError } from './upstream-error.ts';

export interface HttpUpstreamOptions {
  name: string;
  url: string;
  /** Sent on every request (e.g. Authorization); never logged. */
  headers: Record<string, string>;
  /** Expected to carry the upstream's name already (`logger.child({ upstream: name })`). */
  logger: Logger;
  /** Bound on the MCP handshake. Default 30 s. */
  connectTimeoutMs?: number;
  /** Timeout of a call that passes none. Default 60 s. */
  callTimeoutMs?: number;
  /**
   * Protocol era negotiation. `'auto'` (default) uses 2026-07-28 when the server offers it and
   * falls back to the 2025 `initialize` handshake otherwise; `'legacy'` skips the probe.
   */
  negotiation?: VersionNegotiationMode;
}

/**
 * Connects to a Streamable HTTP MCP server. When a request fails because the session or the
 * connection is gone (session expired, server restarted, connection refused), the connection
 * re-initializes once, tells tools-changed listeners, and retries the request once — a tool
 * call only when the failure shows it never reached the server, so it cannot run twice.
 * Rejects with GH_ERR_UPSTREAM_START when the first handshake fails.
 */
export async function connectHttpUpstream(options: HttpUpstreamOptions): Promise<UpstreamConnection> {
  const { name } = options;
  const url = parseUrl(name, options.url);
  const log = options.logger.child({ transport: 'streamable-http' });
  const callTimeoutMs = options.callTimeoutMs ?? 60_000;
  const events = createUpstreamEvents(log);
  let closed = false;
  let current: Promise<Client> = openSession('GH_ERR_UPSTREAM_START');
  await current;

  async function openSession(failureCode: 'GH_ERR_UPSTREAM_START' | 'GH_ERR_UPSTREAM_UNAVAILABLE'): Promise<Client> {
    const client = createUpstreamClient(events.clientEvents, events.relays, options.negotiation ?? 'auto');
    client.onerror = (error) => log.debug({ error: error.message }, 'upstream transport error');
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: options.headers } });
    try {
      await client.connect(transport, { timeout: options.connectTimeoutMs ?? 30_000 });
    } catch (error) {
      await client.close().catch(() => undefined);
      const reason = toUpstreamError(error, name, 'initialize');
      throw new UpstreamError(failureCode, name, `could not initialize a session at ${url.origin}${url.pathname}: ${reason.message}`, {
        cause: error,
      });
    }
    log.info({ era: client.getProtocolEra(), protocolVersion: client.getNegotiatedProtocolVersion() }, 'upstream session initialized');
    return client;
  }

  /** Replaces the session `seen` resolved to, unless another request already replaced it. */
  function replaceSession(seen: Promise<Client>): Promise<Client> {
    if (closed) return Promise.reject(closedError(name));
    if (current !== seen) return current;
    log.warn('upstream session lost; re-initializing');
    seen.then((client) => client.close(), () => undefined).catch(() => undefined);
    current = openSession('GH_ERR_UPSTREAM_UNAVAILABLE');
    current.then(() => events.toolsChanged(), () => undefined);
    return current;
  }

  async function withSession<T>(method: string, retrySafe: (error: unknown) => boolean, signal: AbortSignal | undefined, run: (client: Client) => Promise<T>): Promise<T> {
    if (closed) throw closedError(name);
    let source = current;
    let client: Client;
    try {
      // A previous re-initialization may have failed; this request tries once more.
      client = await source.catch(() => (source = replaceSession(source)));
      return await run(client);
    } catch (error) {
      if (closed || signal?.aborted === true || !isSessionFailure(error)) throw toUpstreamError(error, name, method, signal);
      try {
        const fresh = await replaceSession(source);
        if (!retrySafe(error)) throw error;
        return await run(fresh);
      } catch (retryError) {
        throw toUpstreamError(retryError, name, method, signal);
      }
    }
  }

  const request: RunUpstreamRequest = (method, options, run) => {
    const call = options.call ?? {};
    return withSession(method, options.retrySafe ? () => true : neverReachedServer, call.signal, (client) => run(client, call.timeoutMs ?? callTimeoutMs, call.signal));
  };

  return {
    name,
    ...upstreamOperations(request, events.relays),
    ...events.registrations,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      events.clear();
      const client = await current.catch(() => undefined);
      if (client === undefined) return;
      // Ends the 2025-era session on the server (HTTP DELETE); servers may refuse with 405.
      await terminateSession(client).catch(() => undefined);
      await client.close();
      log.info('upstream closed');
    },
  };
}

function closedError(name: string): UpstreamError {
  return new UpstreamError('GH_ERR_UPSTREAM_CLOSED', name, 'the connection was closed by the gateway');
}

function parseUrl(name: string, raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new UpstreamError('GH_ERR_UPSTREAM_START', name, `"${raw}" is not a valid URL; use e.g. https://host/mcp`);
  }
}

/** Failures after which a new session may succeed: the session or the connection is gone. */
function isSessionFailure(error: unknown): boolean {
  if (error instanceof SdkHttpError) return error.status === 404 || error.status === 400 || error.status >= 500;
  if (error instanceof SdkError) {
    return error.code === SdkErrorCode.ConnectionClosed || error.code === SdkErrorCode.NotConnected || error.code === SdkErrorCode.SendFailed;
  }
  return error instanceof TypeError;
}

/**
 * Failures that prove the request was never processed: the server did not know the session
 * (404, or 400 from servers that answer a missing session so), or no HTTP exchange happened.
 */
function neverReachedServer(error: unknown): boolean {
  if (error instanceof SdkHttpError) return error.status === 404 || error.status === 400;
  if (error instanceof SdkError) return error.code === SdkErrorCode.NotConnected;
  return error instanceof TypeError;
}

async function terminateSession(client: Client): Promise<void> {
  const transport = client.transport;
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
    await transport.terminateSession();
  }
}
