/**
 * Waits for `pending`, but no longer than `timeoutMs` and not past an abort of `signal`.
 * On timeout rejects with `onTimeout()`; on abort with the signal's reason.
 */
export function waitBounded<T>(pending: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<T> {
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  if (timeoutMs <= 0) return Promise.reject(onTimeout());
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => settle(() => reject(onTimeout())), timeoutMs);
    const onAbort = (): void => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
    function settle(finish: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish();
    }
  });
}
