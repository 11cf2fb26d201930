import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadBuffer, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';

export interface ChildCommand {
  command: string;
  args: readonly string[];
  /** The complete environment of the child; nothing is inherited implicitly. */
  env: Record<string, string>;
  cwd?: string;
}

export interface ProcessGroupStdioTransportOptions {
  /** Each line the child writes to stderr, without its newline. */
  onStderrLine?: (line: string) => void;
  /** How long `close()` waits after SIGTERM before sending SIGKILL to the group. */
  killGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 2_000;
const GROUP_POLL_MS = 25;

/**
 * An MCP client transport over a child's stdin/stdout (newline-delimited JSON-RPC, as the SDK's
 * own stdio transport) that starts the child as the leader of its own process group, so that
 * `close()` and `killGroup()` also reach everything the server spawned. The SDK's
 * `StdioClientTransport` signals only the direct child, which leaves grandchildren behind.
 */
export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #command: ChildCommand;
  readonly #options: ProcessGroupStdioTransportOptions;
  readonly #readBuffer = new ReadBuffer();
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #closeNotified = false;

  constructor(command: ChildCommand, options: ProcessGroupStdioTransportOptions = {}) {
    this.#command = command;
    this.#options = options;
  }

  /** The pid of the child, which is also its process group id; undefined before start. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<void> {
    if (this.#child !== undefined) {
      return Promise.reject(new Error('ProcessGroupStdioTransport was already started; create a new transport per connection'));
    }
    const child = spawn(this.#command.command, [...this.#command.args], {
      env: this.#command.env,
      cwd: this.#command.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
      windowsHide: true,
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));

    child.stdout?.on('data', (chunk: Buffer) => {
      try {
        this.#readBuffer.append(chunk);
      } catch (error) {
        // An oversized message means the stream can no longer be framed: give up on this child.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        void this.close();
        return;
      }
      this.#drainReadBuffer();
    });
    child.stdout?.on('error', (error) => this.onerror?.(error));
    child.stdin?.on('error', (error) => this.onerror?.(error));
    this.#forwardStderr(child);
    child.once('close', () => this.#notifyClosed());

    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
        this.#notifyClosed();
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (stdin === undefined || stdin === null || stdin.destroyed) {
      return Promise.reject(new Error('the upstream process is not running'));
    }
    return new Promise((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Ends stdin, then SIGTERM to the whole group, then SIGKILL after the grace period. */
  async close(): Promise<void> {
    const child = this.#child;
    if (child !== undefined) {
      child.stdin?.end();
      await this.killGroup();
    }
    this.#readBuffer.clear();
    this.#notifyClosed();
  }

  /**
   * Terminates every process in the child's group. Also used after the leader died on its own,
   * to reap grandchildren it left running.
   */
  async killGroup(): Promise<void> {
    const pgid = this.#child?.pid;
    if (pgid === undefined) return;
    if (!signalGroup(pgid, 'SIGTERM')) return;
    const graceMs = this.#options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && groupIsAlive(pgid)) {
      await sleep(GROUP_POLL_MS);
    }
    signalGroup(pgid, 'SIGKILL');
    await this.#exited;
  }

  #drainReadBuffer(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#readBuffer.readMessage();
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  #forwardStderr(child: ChildProcess): void {
    const onLine = this.#options.onStderrLine;
    if (child.stderr === null) return;
    if (onLine === undefined) {
      child.stderr.resume();
      return;
    }
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr.on('end', () => {
      if (pending !== '') onLine(pending);
      pending = '';
    });
  }

  #notifyClosed(): void {
    if (this.#closeNotified) return;
    this.#closeNotified = true;
    this.onclose?.();
  }
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function groupIsAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}
