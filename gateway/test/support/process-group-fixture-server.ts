/**
 * Test fixture: an MCP stdio server that spawns a long-running grandchild which ignores
 * SIGTERM, so tests can check that the gateway reaps the whole process group.
 * Its `pids` tool reports both pids.
 */
import { spawn } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 60_000);"], {
  stdio: 'ignore',
});

serveStdio(() => {
  const server = new McpServer({ name: 'process-group-fixture', version: '1.0.0' });
  server.registerTool(
    'pids',
    { description: 'The pids of this server and of the grandchild it spawned', inputSchema: z.object({}) },
    async () => ({ content: [{ type: 'text', text: JSON.stringify({ pid: process.pid, grandchildPid: grandchild.pid }) }] }),
  );
  return server;
});
