import type { ElicitRequestFormParams, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';

/**
 * Tools that talk back while they run, the 2025 way: log messages, progress notifications, a
 * stream closed mid-call (SSE polling), and server-to-client sampling and elicitation requests.
 */
export function registerFixtureInteractions(server: McpServer): void {
  registerNotifyingTools(server);
  registerClientRequestTools(server);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function registerNotifyingTools(server: McpServer): void {
  server.registerTool('test_tool_with_logging', { description: 'Sends three info log messages while it runs.' }, async (ctx) => {
    await ctx.mcpReq.log('info', 'Tool execution started');
    await pause(50);
    await ctx.mcpReq.log('info', 'Tool processing data');
    await pause(50);
    await ctx.mcpReq.log('info', 'Tool execution completed');
    return { content: [{ type: 'text', text: 'Logging tool finished' }] };
  });

  server.registerTool('test_tool_with_progress', { description: 'Reports progress 0, 50 and 100 of 100.' }, async (ctx) => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, total: 100, message: `step ${progress}` } });
      }
      if (progress < 100) await pause(50);
    }
    return { content: [{ type: 'text', text: 'Progress tool finished' }] };
  });

  // SEP-1699: the server may end a POST's SSE stream before the result; the client resumes with
  // GET + Last-Event-ID and receives the result from the event store.
  server.registerTool('test_reconnection', { description: 'Closes its SSE stream mid-call, then answers on the resumed stream.' }, async (ctx) => {
    await pause(100);
    ctx.http?.closeSSE?.();
    await pause(200);
    return { content: [{ type: 'text', text: 'Reconnection test completed' }] };
  });
}

const ElicitedUserSchema = {
  type: 'object' as const,
  properties: {
    username: { type: 'string' as const, description: "User's response" },
    email: { type: 'string' as const, description: "User's email address" },
  },
  required: ['username', 'email'],
};

/** SEP-1034: a default value for every primitive type. */
const DefaultsSchema = {
  type: 'object' as const,
  properties: {
    name: { type: 'string' as const, default: 'John Doe' },
    age: { type: 'integer' as const, default: 30 },
    score: { type: 'number' as const, default: 95.5 },
    status: { type: 'string' as const, enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean' as const, default: true },
  },
};

/** SEP-1330: the five enum shapes (untitled, titled, legacy enumNames, and both multi-selects). */
const EnumsSchema = {
  type: 'object' as const,
  properties: {
    untitledSingle: { type: 'string' as const, enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string' as const,
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: { type: 'string' as const, enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
    untitledMulti: { type: 'array' as const, items: { type: 'string' as const, enum: ['option1', 'option2', 'option3'] } },
    titledMulti: {
      type: 'array' as const,
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
};

/**
 * Sends a server-to-client request on the SSE stream of the call that caused it. Without
 * `relatedRequestId` the SDK puts it on the session's standalone GET stream, which the client may
 * not have opened yet: the request is then only in the event store and the call hangs.
 */
const onThisCallsStream = (ctx: ServerContext) => ({ relatedRequestId: ctx.mcpReq.id });

async function elicitAndReport(ctx: ServerContext, message: string, requestedSchema: ElicitRequestFormParams['requestedSchema']) {
  const answer = await ctx.mcpReq.elicitInput({ mode: 'form', message, requestedSchema }, onThisCallsStream(ctx));
  return { content: [{ type: 'text' as const, text: `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}` }] };
}

function registerClientRequestTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    { description: 'Asks the client to sample an LLM with the given prompt.', inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }) },
    async ({ prompt }, ctx) => {
      const answer = await ctx.mcpReq.requestSampling({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 }, onThisCallsStream(ctx));
      const blocks = Array.isArray(answer.content) ? answer.content : [answer.content];
      const text = blocks.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join(' ');
      return { content: [{ type: 'text', text: `LLM response: ${text}` }] };
    },
  );

  server.registerTool(
    'test_elicitation',
    { description: 'Asks the client for a username and an email address.', inputSchema: z.object({ message: z.string().describe('The message to show the user') }) },
    async ({ message }, ctx) => {
      const answer = await ctx.mcpReq.elicitInput({ mode: 'form', message, requestedSchema: ElicitedUserSchema }, onThisCallsStream(ctx));
      return { content: [{ type: 'text', text: `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}` }] };
    },
  );

  server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicits a form whose fields all carry defaults.' }, (ctx) =>
    elicitAndReport(ctx, 'Please review your profile (defaults pre-filled)', DefaultsSchema),
  );

  server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicits a form with every enum shape.' }, (ctx) =>
    elicitAndReport(ctx, 'Please choose your options', EnumsSchema),
  );
}
