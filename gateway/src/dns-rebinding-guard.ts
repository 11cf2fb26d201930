import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { LOOPBACK_HOSTNAMES } from './loopback.ts';

export interface DnsRebindingSettings {
  /** Host names (no port) the endpoint answers; undefined: derived, see `hostsToCheck`. */
  allowedHosts?: string[] | undefined;
  /** Origin host names browsers may call from; undefined: the allowed hosts, else the request's own Host. */
  allowedOrigins?: string[] | undefined;
  /** The gateway's public URL, whose host is always allowed. */
  publicUrl?: string | undefined;
}

export type GuardVerdict = { ok: true } | { ok: false; code: 'GH_ERR_HOST_NOT_ALLOWED' | 'GH_ERR_ORIGIN_NOT_ALLOWED'; message: string };

/**
 * DNS-rebinding protection for the MCP endpoint. A web page can make a browser send requests to
 * a name it controls that resolves to the gateway's address; the browser then sends that name
 * as Host and the page's own origin as Origin, so both are checked against names the gateway is
 * really known by. Listening on loopback, those default to the localhost names: a local gateway
 * is the classic rebinding target, and a portal without authentication depends on it.
 */
export function createDnsRebindingGuard(settings: DnsRebindingSettings, listeningOn: () => { loopback: boolean } | undefined) {
  const publicHost = settings.publicUrl ? new URL(settings.publicUrl).hostname : undefined;

  function hostsToCheck(): string[] | undefined {
    if (settings.allowedHosts) return settings.allowedHosts;
    // Listening on other interfaces, clients (and proxies in front) may use names unknown here.
    if (!listeningOn()?.loopback) return undefined;
    return [...LOOPBACK_HOSTNAMES, ...(publicHost ? [publicHost] : [])];
  }

  return function check(host: string | undefined, origin: string | undefined): GuardVerdict {
    const hosts = hostsToCheck();
    if (hosts) {
      const result = validateHostHeader(host, hosts);
      if (!result.ok) {
        return { ok: false, code: 'GH_ERR_HOST_NOT_ALLOWED', message: `the Host header ${host === undefined ? 'is missing' : `"${host}" is not a name of this gateway`}; call it by one of: ${hosts.join(', ')} (gateway.allowed_hosts)` };
      }
    }
    if (origin === undefined || origin === '') return { ok: true };
    const origins = settings.allowedOrigins ?? hosts ?? hostnameOf(host);
    const result = validateOriginHeader(origin, origins);
    if (!result.ok) {
      return { ok: false, code: 'GH_ERR_ORIGIN_NOT_ALLOWED', message: `requests from the web origin "${origin}" are not allowed; list its host name in gateway.allowed_origins to allow it` };
    }
    return { ok: true };
  };
}

function hostnameOf(host: string | undefined): string[] {
  try {
    return host ? [new URL(`http://${host}`).hostname] : [];
  } catch {
    return [];
  }
}

export type DnsRebindingGuard = ReturnType<typeof createDnsRebindingGuard>;
