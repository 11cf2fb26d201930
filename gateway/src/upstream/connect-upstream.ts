import type { Logger } from 'pino';
import { connectHttpUpstream } from './http-upstream.ts';
import { connectStdioUpstream } from './stdio-upstream.ts';
import type { UpstreamConnection } from './upstream-connection.ts';

/** How to reach one upstream, with secrets already resolved from the environment. */
export type UpstreamSpec =
  | {
      name: string;
      transport: 'stdio';
      command: string;
      args: readonly string[];
      env: Record<string, string>;
      cwd?: string | undefined;
    }
  | {
      name: string;
      transport: 'streamable-http';
      url: string;
      headers: Record<string, string>;
    };

/** Connects to an upstream over the transport its spec names. `logger` should already carry the upstream name. */
export function connectUpstream(spec: UpstreamSpec, logger: Logger): Promise<UpstreamConnection> {
  switch (spec.transport) {
    case 'stdio':
      return connectStdioUpstream({ name: spec.name, command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd, logger });
    case 'streamable-http':
      return connectHttpUpstream({ name: spec.name, url: spec.url, headers: spec.headers, logger });
  }
}
