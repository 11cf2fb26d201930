import type { CallToolResult } from '@modelcontextprotocol/client';
import { isInputRequiredResult } from '@modelcontextprotocol/client';
import type { UpstreamCallResult } from '../../src/upstream/index.ts';

/** A call's tool result; the test fails when the upstream asked for input instead. */
export function completedResult(result: UpstreamCallResult): CallToolResult {
  if (isInputRequiredResult(result)) throw new Error(`expected a tool result, got input_required: ${JSON.stringify(result)}`);
  return result;
}
