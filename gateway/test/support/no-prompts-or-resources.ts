import type { UpstreamConnection } from '../../src/upstream/index.ts';

/** The prompt, resource and completion operations of a fake upstream that offers none of them. */
export const noPromptsOrResources: Pick<
  UpstreamConnection,
  'listPrompts' | 'getPrompt' | 'listResources' | 'listResourceTemplates' | 'readResource' | 'complete' | 'subscribeResource' | 'unsubscribeResource' | 'onResourceUpdated'
> = {
  listPrompts: async () => [],
  getPrompt: async (name) => {
    throw new Error(`no prompt ${name}`);
  },
  listResources: async () => [],
  listResourceTemplates: async () => [],
  readResource: async (uri) => {
    throw new Error(`no resource ${uri}`);
  },
  complete: async () => ({ completion: { values: [] } }),
  subscribeResource: async (uri) => {
    throw new Error(`no resource ${uri}`);
  },
  unsubscribeResource: async () => undefined,
  onResourceUpdated: () => undefined,
};
