import type { ServerContext } from '@modelcontextprotocol/server';

/**
 * Ends the SSE stream of a session's request that is still running after `ms` (SEP-1699 polling):
 * the client reconnects with Last-Event-ID and gets the rest, the result included, from the
 * session's replay buffer. Long calls then hold no connection open through proxies and load
 * balancers with idle limits. The SDK offers the stream's end only to clients that can resume
 * (2025-11-25 and later, with a priming event); others keep their stream.
 */
export function holdStreamAtMost<T>(ctx: ServerContext, ms: number | undefined, work: Promise<T>): Promise<T> {
  const endStream = ctx.http?.closeSSE;
  if (!ms || !endStream) return work;
  const timer = setTimeout(endStream, ms);
  return work.finally(() => clearTimeout(timer));
}
