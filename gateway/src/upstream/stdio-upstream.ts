import type { Client, VersionNegotiationMode } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { Logger } from 'pino';
import { createUpstreamClient } from './create-upstream-client.ts';
import { ProcessGroupStdioTransport } from './process-group-stdio-transport.ts';
import { toUpstreamError } from './to-upstream-error.ts';
import { createUpstreamEvents } from './upstream-events.ts';
import type { UpstreamCallOptions, UpstreamConnection } from './upstream-connection.ts';
import { upstreamOperations, type RunUpstreamRequest } from './upstream-operations.ts';
import { UpstreamError } from './upstream-error.ts';
import { waitBounded } from './wait-bounded.ts';

export interface StdioRestartPolicy {
  /** Delay before the first restart attempt; doubles with each failed attempt. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** How long a call waits for a restarting upstream before it fails. Default 10 s. */
  waitForRestartMs?: number;
  /** A process that stayed up this long counts as healthy: its next crash restarts after `initialDelayMs` again. Default 30 s. */
  stableAfterMs?: number;
}

export interface StdioUpstreamOptions {
  name: string;
  command: string;
  args?: readonly string[];
  /** Added to the SDK's minimal inherited environment (HOME, PATH, USER, ...); nothing else leaks from the gateway. */
  env?: Record<string, string>;
  cwd?: string;
  /** Expected to carry the upstream's name already (`logger.child({ upstream: name })`). */
  logger: Logger;
  restart?: StdioRestartPolicy;
  /** Bound on the MCP handshake of each start. Default 30 s. */
  connectTimeoutMs?: number;
  /** Timeout of a call that passes none. Default 60 s. */
  callTimeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL of the process group. Default 2 s. */
  killGraceMs?: number;
  /**
   * Protocol era negotiation. `'legacy'` (default) runs the 2025 `initialize` handshake, which
   * every stdio server answers; `'auto'` probes for 2026-07-28 first, in place, which servers
   * that exit on an unknown request before `initialize` do not survive.
   */
  negotiation?: VersionNegotiationMode;
}

interface Session {
  readonly client: Client;
  readonly transport: ProcessGroupStdioTransport;
  readonly startedAt: number;
}

const DEFAULT_RESTART: Required<StdioRestartPolicy> = { initialDelayMs: 250, maxDelayMs: 30_000, waitForRestartMs: 10_000, stableAfterMs: 30_000 };
const STDERR_LINE_LIMIT = 500;

/**
 * Starts a stdio MCP server as a child in its own process group and keeps it running: when the
 * child dies unexpectedly it is restarted with exponential backoff, calls made meanwhile wait
 * (bounded) for the new process, and tools-changed listeners fire once it is back. Calls in
 * flight when the child died fail with GH_ERR_UPSTREAM_DISCONNECTED and are not retried, since
 * they may have run. Rejects with GH_ERR_UPSTREAM_START when the first start fails.
 */
export async function connectStdioUpstream(options: StdioUpstreamOptions): Promise<UpstreamConnection> {
  const { name } = options;
  const log = options.logger.child({ transport: 'stdio' });
  const restart = { ...DEFAULT_RESTART, ...options.restart };
  const callTimeoutMs = options.callTimeoutMs ?? 60_000;
  const events = createUpstreamEvents(log);
  const closing = new AbortController();

  let current: Session | undefined;
  let starting: ProcessGroupStdioTransport | undefined;
  let restarted: Promise<Session> | undefined;
  let failedAttempts = 0;

  async function startSession(): Promise<Session> {
    const transport = new ProcessGroupStdioTransport(
      { command: options.command, args: options.args ?? [], env: { ...getDefaultEnvironment(), ...options.env }, cwd: options.cwd },
      {
        killGraceMs: options.killGraceMs,
        onStderrLine: (line) => log.debug({ stderr: line.slice(0, STDERR_LINE_LIMIT) }, 'upstream stderr'),
      },
    );
    const client = createUpstreamClient(events.clientEvents, events.relays, options.negotiation ?? 'legacy');
    let exited = false;
    const session: Session = { client, transport, startedAt: Date.now() };
    client.onerror = (error) => log.warn({ error: error.message }, 'upstream transport error');
    client.onclose = () => {
      exited = true;
      if (current === session) onUnexpectedExit(session);
    };
    starting = transport;
    try {
      await client.connect(transport, { timeout: options.connectTimeoutMs ?? 30_000 });
      if (exited) throw new Error('the process exited right after the handshake');
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw new UpstreamError('GH_ERR_UPSTREAM_START', name, `could not start "${options.command}": ${errorText(error)}; check command, args, cwd and env`, {
        cause: error,
      });
    } finally {
      starting = undefined;
    }
    log.info({ childPid: transport.pid }, 'upstream process started');
    return session;
  }

  function onUnexpectedExit(session: Session): void {
    current = undefined;
    if (Date.now() - session.startedAt >= restart.stableAfterMs) failedAttempts = 0;
    log.warn({ childPid: session.transport.pid }, 'upstream process exited unexpectedly; restarting it');
    // The leader is gone, but anything it spawned may still hold resources.
    void session.transport.killGroup().catch((error: unknown) => log.warn({ error: errorText(error) }, 'could not reap the upstream process group'));
    restarted = restartWithBackoff();
    restarted.catch(() => undefined);
  }

  async function restartWithBackoff(): Promise<Session> {
    for (;;) {
      const delayMs = Math.min(restart.initialDelayMs * 2 ** failedAttempts, restart.maxDelayMs);
      failedAttempts += 1;
      await sleepUnlessClosed(delayMs, closing.signal);
      if (closing.signal.aborted) throw closedError(name);
      try {
        const session = await startSession();
        if (closing.signal.aborted) {
          await session.client.close();
          throw closedError(name);
        }
        current = session;
        log.info({ attempt: failedAttempts, childPid: session.transport.pid }, 'upstream process restarted');
        events.toolsChanged();
        return session;
      } catch (error) {
        if (closing.signal.aborted) throw closedError(name);
        log.warn({ attempt: failedAttempts, error: errorText(error) }, 'upstream restart failed; trying again');
      }
    }
  }

  async function liveSession(started: number, call: UpstreamCallOptions): Promise<Session> {
    if (closing.signal.aborted) throw closedError(name);
    if (current !== undefined) return current;
    const pending = restarted ?? Promise.reject(closedError(name));
    const budget = call.timeoutMs === undefined ? restart.waitForRestartMs : Math.min(restart.waitForRestartMs, call.timeoutMs - (Date.now() - started));
    return waitBounded(pending, budget, call.signal, () =>
      new UpstreamError('GH_ERR_UPSTREAM_UNAVAILABLE', name, `the process exited and was not back within ${Math.max(0, budget)} ms; retry shortly`),
    );
  }

  current = await startSession();

  const request: RunUpstreamRequest = async (method, options, run) => {
    const started = Date.now();
    const call = options.call ?? {};
    try {
      const session = await liveSession(started, call);
      const timeout = call.timeoutMs === undefined ? callTimeoutMs : Math.max(1, call.timeoutMs - (Date.now() - started));
      return await run(session.client, timeout, call.signal);
    } catch (error) {
      throw toUpstreamError(error, name, method, call.signal);
    }
  };

  return {
    name,
    ...upstreamOperations(request, events.relays),
    ...events.registrations,
    async close(): Promise<void> {
      if (closing.signal.aborted) return;
      closing.abort();
      events.clear();
      const session = current;
      current = undefined;
      await Promise.all([session?.client.close(), starting?.close()]);
      await restarted?.catch(() => undefined);
      log.info('upstream closed');
    },
  };
}

function closedError(name: string): UpstreamError {
  return new UpstreamError('GH_ERR_UPSTREAM_CLOSED', name, 'the connection was closed by the gateway');
}

function sleepUnlessClosed(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
