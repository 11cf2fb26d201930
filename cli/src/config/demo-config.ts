import path from 'node:path';
import { GatehouseConfigSchema, type GatehouseConfig } from './config-schema.ts';

export const DEV_TOKEN_ENV = 'GATEHOUSE_DEV_TOKEN';

/**
 * The config `gatehouse start` runs without a file: one portal in front of the bundled demo MCP
 * server, one development token taken from GATEHOUSE_DEV_TOKEN, the built-in DLP profile.
 */
export function demoConfig(repoRoot: string, nodeExecutable: string): GatehouseConfig {
  return GatehouseConfigSchema.parse({
    tokens: [{ token: { env: DEV_TOKEN_ENV }, subject: 'developer', email: 'developer@localhost', groups: ['developers'] }],
    portals: [
      {
        name: 'demo',
        servers: [{ name: 'customers', transport: 'stdio', command: nodeExecutable, args: [path.join(repoRoot, 'demo', 'customer-records-server.ts')] }],
      },
    ],
  });
}
