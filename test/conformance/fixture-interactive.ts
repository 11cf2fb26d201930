import { inputRequired, inputResponse, type ElicitRequestFormParams, type McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { samplingText } from './fixture-input-required.ts';

/**
 * Tools that talk back while they run, the 2025 way: log messages, progress notifications, a
 * stream closed mid-call (SSE polling), and sampling and elicitation requests to the client.
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

/** What the client answered to the elicitation of a tool's one input round, in the words the suite checks for. */
function elicitationReport(prefix: string, ctx: ServerContext): string | undefined {
  const answer = inputResponse(ctx.mcpReq.inputResponses, 'form');
  if (answer.kind !== 'elicit') return undefined;
  return `${prefix}: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
}

const elicitForm = (message: string, requestedSchema: ElicitRequestFormParams['requestedSchema']) =>
  inputRequired({ inputRequests: { form: inputRequired.elicit({ message, requestedSchema }) } });

/**
 * Each tool asks its client in one input round: on 2025-era sessions the SDK's legacy shim sends
 * the request on the call's own SSE stream, and 2026-07-28 clients get an `input_required` result.
 * So the same tool serves a client directly and through a gateway that speaks either era upstream.
 */
function registerClientRequestTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    { description: 'Asks the client to sample an LLM with the given prompt.', inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }) },
    async ({ prompt }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'sample');
      if (answer.kind !== 'sampling') {
        return inputRequired({ inputRequests: { sample: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 }) } });
      }
      return { content: [{ type: 'text', text: `LLM response: ${samplingText(answer.result)}` }] };
    },
  );

  server.registerTool(
    'test_elicitation',
    { description: 'Asks the client for a username and an email address.', inputSchema: z.object({ message: z.string().describe('The message to show the user') }) },
    async ({ message }, ctx) => {
      const report = elicitationReport('User response', ctx);
      return report === undefined ? elicitForm(message, ElicitedUserSchema) : { content: [{ type: 'text', text: report }] };
    },
  );

  server.registerTool('test_elicitation_sep1034_defaults', { description: 'Elicits a form whose fields all carry defaults.' }, async (ctx) => {
    const report = elicitationReport('Elicitation completed', ctx);
    return report === undefined ? elicitForm('Please review your profile (defaults pre-filled)', DefaultsSchema) : { content: [{ type: 'text', text: report }] };
  });

  server.registerTool('test_elicitation_sep1330_enums', { description: 'Elicits a form with every enum shape.' }, async (ctx) => {
    const report = elicitationReport('Elicitation completed', ctx);
    return report === undefined ? elicitForm('Please choose your options', EnumsSchema) : { content: [{ type: 'text', text: report }] };
  });
}
