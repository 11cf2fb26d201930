import type { UpstreamConnection } from '../../src/upstream/index.ts';

/** The prompt and resource operations of a fake upstream that offers neither. */
export const noPromptsOrResources: Pick<UpstreamConnection, 'listPrompts' | 'getPrompt' | 'listResources' | 'listResourceTemplates' | 'readResource'> = {
  listPrompts: async () => [],
  getPrompt: async (name) => {
    throw new Error(`no prompt ${name}`);
  },
  listResources: async () => [],
  listResourceTemplates: async () => [],
  readResource: async (uri) => {
    throw new Error(`no resource ${uri}`);
  },
};
