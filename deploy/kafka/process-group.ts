import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether `pid` is a live (not zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited child its parent has not reaped yet still answers signal 0.
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Signals the broker JVM and anything it started: `pid` leads its own process group. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves true once `pid` has exited, false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/** A small shell loop, in its own process group, that stops the broker once `ownerPid` is gone. */
export function watchOwner(ownerPid: number, brokerPid: number): void {
  const script = [
    'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 1; done',
    'kill -0 "$1" 2>/dev/null || exit 0',
    'kill -TERM -"$1" 2>/dev/null',
    'i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.5; i=$((i+1)); done',
    'kill -KILL -"$1" 2>/dev/null',
  ].join('\n');
  spawn('sh', ['-c', script, String(ownerPid), String(brokerPid)], { detached: true, stdio: 'ignore' }).unref();
}
