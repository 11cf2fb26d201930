import { McpServer, type RequestStateCodec } from '@modelcontextprotocol/server';
import { registerFixtureContent } from './fixture-content.ts';
import { registerFixtureInputRequired, type FixtureRequestState } from './fixture-input-required.ts';
import { registerFixtureInteractions } from './fixture-interactive.ts';

/** State shared by every server instance of one fixture process (instances are per session or per request). */
export interface FixtureShared {
  codec: RequestStateCodec<FixtureRequestState>;
  /** Flipped by `test_trigger_tool_change`: the optional tool is listed only while true. */
  optionalToolListed: boolean;
  /** Flipped by `test_trigger_prompt_change`: the optional prompt is listed only while true. */
  optionalPromptListed: boolean;
  /** Tells open 2026 `subscriptions/listen` streams and 2025 sessions that a list changed. */
  announce(change: 'tools' | 'prompts'): void;
}

/**
 * One MCP server instance of the fixture. `legacy` instances serve one 2025-era session (with
 * logging levels and resource subscriptions); `modern` instances serve one 2026-07-28 request.
 */
export function createFixtureMcpServer(era: 'legacy' | 'modern', shared: FixtureShared): McpServer {
  const server = new McpServer(
    { name: 'gatehouse-conformance-fixture', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, ...(era === 'legacy' ? { subscribe: true } : {}) },
        completions: {},
        logging: {},
      },
      instructions: 'A fixture server for the MCP conformance suite.',
      requestState: { verify: (state, ctx) => shared.codec.verify(state, ctx) },
    },
  );
  registerFixtureContent(server);
  registerFixtureInteractions(server);
  registerFixtureInputRequired(server, shared.codec);
  registerListChangeTriggers(server, shared);
  if (era === 'legacy') registerSubscriptions(server);
  return server;
}

function registerListChangeTriggers(server: McpServer, shared: FixtureShared): void {
  if (shared.optionalToolListed) {
    server.registerTool('test_optional_tool', { description: 'Listed or not, as test_trigger_tool_change last set it.' }, async () => ({
      content: [{ type: 'text', text: 'optional tool ran' }],
    }));
  }
  if (shared.optionalPromptListed) {
    server.registerPrompt('test_optional_prompt', { description: 'Listed or not, as test_trigger_prompt_change last set it.' }, () => ({
      messages: [{ role: 'user', content: { type: 'text', text: 'optional prompt' } }],
    }));
  }
  server.registerTool('test_trigger_tool_change', { description: 'Adds or removes test_optional_tool and announces the change.' }, async () => {
    shared.optionalToolListed = !shared.optionalToolListed;
    shared.announce('tools');
    return { content: [{ type: 'text', text: `test_optional_tool listed: ${shared.optionalToolListed}` }] };
  });
  server.registerTool('test_trigger_prompt_change', { description: 'Adds or removes test_optional_prompt and announces the change.' }, async () => {
    shared.optionalPromptListed = !shared.optionalPromptListed;
    shared.announce('prompts');
    return { content: [{ type: 'text', text: `test_optional_prompt listed: ${shared.optionalPromptListed}` }] };
  });
  server.registerTool('test_logging_tool', { description: 'Logs one info message (dropped unless the request asked for a log level).' }, async (ctx) => {
    await ctx.mcpReq.log('info', 'test_logging_tool ran');
    return { content: [{ type: 'text', text: 'logged' }] };
  });
}

/** 2025-era resource subscriptions of one session; `test_update_watched_resource` fires the update. */
function registerSubscriptions(server: McpServer): void {
  const subscribed = new Set<string>();
  server.server.setRequestHandler('resources/subscribe', async (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  server.registerTool('test_update_watched_resource', { description: 'Sends notifications/resources/updated for test://watched-resource if this session subscribed to it.' }, async () => {
    const uri = 'test://watched-resource';
    if (subscribed.has(uri)) await server.server.sendResourceUpdated({ uri });
    return { content: [{ type: 'text', text: subscribed.has(uri) ? `update sent for ${uri}` : `not subscribed to ${uri}` }] };
  });
}
