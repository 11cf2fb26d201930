import { Client, SERVER_INFO_META_KEY, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer, type McpHttpHandler } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayInFront, type GatewayInFront } from '../conformance/gateway-in-front.ts';
import { startWebHandlerServer } from '../support/web-handler-server.ts';

const WATCHED = 'test://watched';

/** A 2026-07-28 upstream with one subscribable resource and a tool that changes it. */
async function startWatchedUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  let handler: McpHttpHandler;
  const create = () => {
    const server = new McpServer({ name: 'watched-upstream', version: '1.0.0' }, { capabilities: { resources: { subscribe: true } } });
    server.registerResource('watched', WATCHED, { mimeType: 'text/plain' }, async () => ({ contents: [{ uri: WATCHED, text: 'v' }] }));
    server.registerTool('change_watched', { description: 'Changes the watched resource.' }, async () => {
      handler.notify.resourceUpdated(WATCHED);
      return { content: [{ type: 'text', text: 'changed' }] };
    });
    return server;
  };
  handler = createMcpHandler(create, { legacy: 'reject' });
  const http = await startWebHandlerServer((request) => handler.fetch(request));
  return {
    url: `${http.origin}/mcp`,
    async close() {
      await handler.close();
      await http.close();
    },
  };
}

describe('2026-07-28 clients through the gateway', () => {
  let upstream: Awaited<ReturnType<typeof startWatchedUpstream>>;
  let gateway: GatewayInFront;

  beforeAll(async () => {
    upstream = await startWatchedUpstream();
    gateway = await startGatewayInFront(upstream.url);
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('get results that name the gateway, not the upstream behind it', async () => {
    const client = new Client({ name: 'caller', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      const result = await client.callTool({ name: 'change_watched', arguments: {} });
      expect(result._meta?.[SERVER_INFO_META_KEY]).toMatchObject({ name: 'gatehouse' });
    } finally {
      await client.close();
    }
  });

  it('honors a listen stream\'s subscription to a resource the caller may read, and routes its updates to it', async () => {
    const client = new Client({ name: 'listener', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    try {
      expect(client.getProtocolEra()).toBe('modern');
      const updates: string[] = [];
      const updated = new Promise<void>((resolve) => {
        client.setNotificationHandler('notifications/resources/updated', (notification) => {
          updates.push(notification.params.uri);
          resolve();
        });
      });
      const subscription = await client.listen({ resourceSubscriptions: [WATCHED, 'test://nobody-serves-this'] });
      expect(subscription.honoredFilter.resourceSubscriptions).toEqual([WATCHED]);

      await client.callTool({ name: 'change_watched', arguments: {} });
      await updated;
      expect(updates).toEqual([WATCHED]);
      await subscription.close();
    } finally {
      await client.close();
    }
  });
});
