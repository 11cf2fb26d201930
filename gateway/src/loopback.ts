import { isIP } from 'node:net';

/** Host names that always mean this machine; what a loopback-only endpoint may be called by. */
export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether listening on `host` admits only clients on this machine. `localhost` counts: it is
 * resolved by this machine's resolver, not by the client's. Wildcards (0.0.0.0, ::) do not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}
