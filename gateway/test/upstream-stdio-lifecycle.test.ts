import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { connectStdioUpstream, type UpstreamConnection } from '../src/upstream/index.ts';
import { captureLogger } from './support/capture-logger.ts';
import { isProcessAlive, waitForExit } from './support/process-liveness.ts';
import { completedResult } from './support/completed-result.ts';

const FIXTURE_SERVER = fileURLToPath(new URL('./support/process-group-fixture-server.ts', import.meta.url));

async function pidsOf(connection: UpstreamConnection): Promise<{ pid: number; grandchildPid: number }> {
  const result = completedResult(await connection.callTool('pids', {}));
  const [first] = result.content;
  if (first?.type !== 'text') throw new Error('pids returned no text');
  return JSON.parse(first.text) as { pid: number; grandchildPid: number };
}

describe('stdio upstream process lifecycle', () => {
  let connection: UpstreamConnection | undefined;
  const strays: number[] = [];
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    for (const pid of strays.splice(0)) {
      if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('close() kills the server and the grandchild it spawned, even one that ignores SIGTERM', async () => {
    const { logger } = captureLogger();
    connection = await connectStdioUpstream({ name: 'fixture', command: process.execPath, args: [FIXTURE_SERVER], logger, killGraceMs: 300 });
    const { pid, grandchildPid } = await pidsOf(connection);
    strays.push(pid, grandchildPid);
    expect(isProcessAlive(pid)).toBe(true);
    expect(isProcessAlive(grandchildPid)).toBe(true);

    await connection.close();
    connection = undefined;

    expect(await waitForExit(pid, 1_000)).toBe(true);
    expect(await waitForExit(grandchildPid, 1_000)).toBe(true);
  });

  it('restarts a server killed with SIGKILL, logs it, fires onToolsChanged, and serves the next call', async () => {
    const captured = captureLogger();
    connection = await connectStdioUpstream({
      name: 'fixture',
      command: process.execPath,
      args: [FIXTURE_SERVER],
      logger: captured.logger,
      restart: { initialDelayMs: 50, maxDelayMs: 500 },
      killGraceMs: 300,
    });
    const before = await pidsOf(connection);
    strays.push(before.pid, before.grandchildPid);
    let toolsChanged = 0;
    connection.onToolsChanged(() => {
      toolsChanged += 1;
    });

    process.kill(before.pid, 'SIGKILL');
    // Calls already in flight when a server dies fail (they may have run); calls made after
    // the gateway noticed the exit wait for the restarted process.
    await captured.waitFor('exited unexpectedly');
    const after = await pidsOf(connection);
    strays.push(after.pid, after.grandchildPid);

    expect(after.pid).not.toBe(before.pid);
    expect(isProcessAlive(after.pid)).toBe(true);
    expect(toolsChanged).toBeGreaterThanOrEqual(1);
    expect(captured.lines.some((line) => line.msg === 'upstream process exited unexpectedly; restarting it' && line.level === 40)).toBe(true);
    expect(captured.lines.some((line) => line.msg === 'upstream process restarted')).toBe(true);
    // The crashed server's grandchild is reaped with its group, not left behind.
    expect(await waitForExit(before.grandchildPid, 2_000)).toBe(true);
  });

  it('fails a call with GH_ERR_UPSTREAM_UNAVAILABLE when the restart takes longer than the wait bound', async () => {
    const captured = captureLogger();
    connection = await connectStdioUpstream({
      name: 'fixture',
      command: process.execPath,
      args: [FIXTURE_SERVER],
      logger: captured.logger,
      restart: { initialDelayMs: 5_000, maxDelayMs: 5_000, waitForRestartMs: 100 },
      killGraceMs: 300,
    });
    const { pid, grandchildPid } = await pidsOf(connection);
    strays.push(pid, grandchildPid);

    process.kill(pid, 'SIGKILL');
    await captured.waitFor('exited unexpectedly');

    await expect(connection.callTool('pids', {})).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_UNAVAILABLE', upstream: 'fixture' });
  });

  it('close() during a pending restart stops the restart and leaves no process behind', async () => {
    const captured = captureLogger();
    connection = await connectStdioUpstream({
      name: 'fixture',
      command: process.execPath,
      args: [FIXTURE_SERVER],
      logger: captured.logger,
      restart: { initialDelayMs: 200, maxDelayMs: 200 },
      killGraceMs: 300,
    });
    const { pid, grandchildPid } = await pidsOf(connection);
    strays.push(pid, grandchildPid);
    process.kill(pid, 'SIGKILL');
    await captured.waitFor('exited unexpectedly');

    await connection.close();
    connection = undefined;

    expect(captured.lines.some((line) => line.msg === 'upstream process restarted')).toBe(false);
    expect(await waitForExit(grandchildPid, 2_000)).toBe(true);
  });

  it('fires onToolsChanged when the server announces a changed tool list', async () => {
    const { logger } = captureLogger();
    connection = await connectStdioUpstream({ name: 'fixture', command: process.execPath, args: [FIXTURE_SERVER], logger, killGraceMs: 300 });
    const changed = new Promise<void>((resolve) => connection?.onToolsChanged(resolve));

    completedResult(await connection.callTool('add_tool', { name: 'added_later' }));
    await changed;

    expect((await connection.listTools()).map((tool) => tool.name)).toContain('added_later');
  });

  it('fails a slow call with GH_ERR_UPSTREAM_TIMEOUT and an aborted one with GH_ERR_UPSTREAM_ABORTED', async () => {
    const { logger } = captureLogger();
    connection = await connectStdioUpstream({ name: 'fixture', command: process.execPath, args: [FIXTURE_SERVER], logger, killGraceMs: 300 });
    const aborter = new AbortController();

    const timedOut = connection.callTool('sleep', { ms: 5_000 }, { timeoutMs: 100 });
    const aborted = connection.callTool('sleep', { ms: 5_000 }, { signal: aborter.signal });
    aborter.abort();

    await Promise.all([
      expect(timedOut).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_TIMEOUT' }),
      expect(aborted).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_ABORTED' }),
    ]);
    expect(completedResult(await connection.callTool('sleep', { ms: 1 })).content).toEqual([{ type: 'text', text: 'slept 1' }]);
  });
});
