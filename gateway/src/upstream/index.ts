export { connectUpstream, type UpstreamSpec } from './connect-upstream.ts';
export { connectHttpUpstream, type HttpUpstreamOptions } from './http-upstream.ts';
export { connectStdioUpstream, type StdioRestartPolicy, type StdioUpstreamOptions } from './stdio-upstream.ts';
export type {
  UpstreamCallOptions,
  InputRound,
  UpstreamCallResult,
  UpstreamConnection,
  UpstreamInputRequired,
  UpstreamPrompt,
  UpstreamPromptResult,
  UpstreamResource,
  UpstreamResourceContents,
  UpstreamResourceTemplate,
  UpstreamTool,
} from './upstream-connection.ts';
export { UPSTREAM_ERROR_CODES, UpstreamError, type UpstreamErrorCode } from './upstream-error.ts';
export type { CallRelay, RelayedRequestMethod } from './call-relay.ts';
