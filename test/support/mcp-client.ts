import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** The two client generations the gateway must serve: 2025-11-25 (initialize handshake) and 2026-07-28 (per-request). */
export type ClientEra = 'legacy' | 'modern';

/** A real MCP SDK client connected to the gateway with a bearer token. */
export async function connectMcpClient(url: string, token: string, era: ClientEra): Promise<Client> {
  const client = new Client(
    { name: `gatehouse-test-${era}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return client;
}

/** The text of a tool result's first text block. */
export function firstText(result: { content?: unknown }): string {
  const blocks = (result.content ?? []) as Array<{ type: string; text?: string }>;
  const text = blocks.find((block) => block.type === 'text')?.text;
  if (text === undefined) throw new Error(`tool result has no text content: ${JSON.stringify(result)}`);
  return text;
}
