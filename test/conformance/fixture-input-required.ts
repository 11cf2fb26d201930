import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  type ClientCapabilities,
  type InputRequests,
  type McpServer,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';

/** What the fixture keeps in `requestState` between rounds; sealed by the codec, so a client cannot alter it. */
export interface FixtureRequestState {
  tool: string;
  round: number;
  name?: string;
}

/**
 * Multi-round-trip tools (2026-07-28 `input_required` results, SEP-2322). On 2025-era sessions the
 * SDK's legacy shim turns the same returns into real server-to-client requests.
 */
export function registerFixtureInputRequired(server: McpServer, codec: RequestStateCodec<FixtureRequestState>): void {
  registerSingleRoundTools(server);
  registerStatefulTools(server, codec);
  registerCapabilityAwareTools(server);
}

const askName = (message: string) =>
  inputRequired.elicit({ message, requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

const NameSchema = z.object({ name: z.string() });

function registerSingleRoundTools(server: McpServer): void {
  server.registerTool('test_input_required_result_elicitation', { description: 'Asks for a name, then greets.' }, async (ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', NameSchema);
    if (answer === undefined) return inputRequired({ inputRequests: { user_name: askName('What is your name?') } });
    return text(`Hello, ${answer.name}!`);
  });

  server.registerTool('test_input_required_result_sampling', { description: 'Asks the client to sample an answer.' }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'capital_question');
    if (answer.kind !== 'sampling') {
      return inputRequired({
        inputRequests: {
          capital_question: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
            maxTokens: 100,
          }),
        },
      });
    }
    return text(`Sampled answer: ${samplingText(answer.result)}`);
  });

  server.registerTool('test_input_required_result_list_roots', { description: "Asks for the client's roots." }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
    if (answer.kind !== 'roots') return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
    return text(`Roots: ${answer.roots.map((root) => root.uri).join(', ')}`);
  });

  server.registerPrompt('test_input_required_result_prompt', { description: 'A prompt that first asks the user for context.' }, async (ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_context', z.object({ context: z.string() }));
    if (answer === undefined) {
      return inputRequired({
        inputRequests: {
          user_context: inputRequired.elicit({
            message: 'What context should the prompt use?',
            requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
          }),
        },
      });
    }
    return { messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${answer.context}` } }] };
  });
}

/** The text of a sampling answer, its non-text blocks as placeholders. */
export function samplingText(result: { content: unknown }): string {
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  return blocks.map((block) => (typeof block === 'object' && block !== null && 'text' in block ? String(block.text) : '[non-text]')).join(' ');
}

function stateOf(ctx: ServerContext, tool: string): FixtureRequestState | undefined {
  const state = ctx.mcpReq.requestState<FixtureRequestState>();
  return state?.tool === tool ? state : undefined;
}

function registerStatefulTools(server: McpServer, codec: RequestStateCodec<FixtureRequestState>): void {
  const confirmRequest = {
    confirm: inputRequired.elicit({ message: 'Please confirm', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }),
  };

  server.registerTool('test_input_required_result_request_state', { description: 'Round-trips a sealed requestState.' }, async (ctx) => {
    const confirmed = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
    if (stateOf(ctx, 'request_state') === undefined || confirmed === undefined) {
      return inputRequired({ inputRequests: confirmRequest, requestState: await codec.mint({ tool: 'request_state', round: 1 }) });
    }
    return text(`state-ok: confirmed=${JSON.stringify(confirmed['ok'])}`);
  });

  server.registerTool('test_input_required_result_tampered_state', { description: 'Rejects a requestState that was altered.' }, async (ctx) => {
    if (stateOf(ctx, 'tampered_state') === undefined || acceptedContent(ctx.mcpReq.inputResponses, 'confirm') === undefined) {
      return inputRequired({ inputRequests: confirmRequest, requestState: await codec.mint({ tool: 'tampered_state', round: 1 }) });
    }
    return text('state-ok');
  });

  server.registerTool('test_input_required_result_multiple_inputs', { description: 'Asks for a name, a sampled greeting and the roots at once.' }, async (ctx) => {
    const responses = ctx.mcpReq.inputResponses;
    const name = acceptedContent(responses, 'user_name', NameSchema);
    const greeting = inputResponse(responses, 'greeting');
    const roots = inputResponse(responses, 'client_roots');
    if (stateOf(ctx, 'multiple_inputs') === undefined || name === undefined || greeting.kind !== 'sampling' || roots.kind !== 'roots') {
      return inputRequired({
        inputRequests: {
          user_name: askName('What is your name?'),
          greeting: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }),
          client_roots: inputRequired.listRoots(),
        },
        requestState: await codec.mint({ tool: 'multiple_inputs', round: 1 }),
      });
    }
    return text(`${samplingText(greeting.result)}, ${name.name}! Roots: ${roots.roots.length}`);
  });

  server.registerTool('test_input_required_result_multi_round', { description: 'Asks two questions in two rounds.' }, async (ctx) => {
    const state = stateOf(ctx, 'multi_round');
    const name = acceptedContent(ctx.mcpReq.inputResponses, 'step1', NameSchema);
    const color = acceptedContent(ctx.mcpReq.inputResponses, 'step2', z.object({ color: z.string() }));
    if (state?.round === 2 && color !== undefined) return text(`${state.name ?? 'someone'} likes ${color.color}`);
    if ((state?.round === 1 && name !== undefined) || state?.round === 2) {
      const knownName = name?.name ?? state.name ?? '';
      return inputRequired({
        inputRequests: {
          step2: inputRequired.elicit({
            message: 'Step 2: What is your favorite color?',
            requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
          }),
        },
        requestState: await codec.mint({ tool: 'multi_round', round: 2, name: knownName }),
      });
    }
    return inputRequired({ inputRequests: { step1: askName('Step 1: What is your name?') }, requestState: await codec.mint({ tool: 'multi_round', round: 1 }) });
  });
}

/** The client's capabilities: from the request's envelope (2026-07-28) or the session's initialize (2025). */
function clientCapabilities(ctx: ServerContext, server: McpServer): ClientCapabilities {
  const declared = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY];
  return (declared as ClientCapabilities | undefined) ?? server.server.getClientCapabilities() ?? {};
}

function registerCapabilityAwareTools(server: McpServer): void {
  server.registerTool('test_input_required_result_capabilities', { description: 'Asks only for what the client declared it can provide.' }, async (ctx) => {
    const capabilities = clientCapabilities(ctx, server);
    const responses = ctx.mcpReq.inputResponses ?? {};
    const wanted: InputRequests = {};
    if (capabilities.elicitation) wanted['user_name'] = askName('What is your name?');
    if (capabilities.sampling) wanted['greeting'] = inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }], maxTokens: 20 });
    if (capabilities.roots) wanted['client_roots'] = inputRequired.listRoots();
    const missing = Object.keys(wanted).filter((key) => !(key in responses));
    if (missing.length > 0) return inputRequired({ inputRequests: Object.fromEntries(missing.map((key) => [key, wanted[key]!])) });
    return text(`Received ${Object.keys(wanted).length} answer(s)`);
  });

  // The SDK answers -32021 (MissingRequiredClientCapability) when the request did not declare sampling.
  server.registerTool('test_missing_capability', { description: 'Needs the client to sample; refused without the sampling capability.' }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'sample');
    if (answer.kind !== 'sampling') {
      return inputRequired({ inputRequests: { sample: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 }) } });
    }
    return text(`Sampled: ${samplingText(answer.result)}`);
  });

  server.registerTool('test_streaming_elicitation', { description: 'Answers with an input_required result, never with a server-to-client request.' }, async (ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', NameSchema);
    if (answer === undefined) return inputRequired({ inputRequests: { user_name: askName('Who is streaming?') } });
    return text(`Streaming for ${answer.name}`);
  });
}
