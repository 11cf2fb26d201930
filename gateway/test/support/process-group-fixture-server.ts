/**
 * Test fixture: an MCP stdio server that spawns a long-running grandchild which ignores
 * SIGTERM, so tests can check that the gateway reaps the whole process group.
 * Its `pids` tool reports both pids; `add_tool` changes the tool list (the SDK then sends
 * notifications/tools/list_changed); `sleep` answers after `ms` milliseconds.
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
  server.registerTool('add_tool', { description: 'Registers a tool named `name`', inputSchema: z.object({ name: z.string() }) }, async ({ name }) => {
    server.registerTool(name, { description: 'Added at run time' }, async () => ({ content: [{ type: 'text', text: name }] }));
    return { content: [{ type: 'text', text: `added ${name}` }] };
  });
  server.registerTool('sleep', { description: 'Answers after `ms` milliseconds', inputSchema: z.object({ ms: z.number() }) }, async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: `slept ${ms}` }] };
  });
  return server;
});
