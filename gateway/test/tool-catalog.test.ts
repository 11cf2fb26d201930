import { afterEach, describe, expect, it } from 'vitest';
import { createToolCatalog, type CatalogServer, type ToolCatalog, type ToolCatalogOptions } from '../src/tool-catalog.ts';
import type { UpstreamConnection, UpstreamTool } from '../src/upstream/index.ts';
import { captureLogger } from './support/capture-logger.ts';
import { noPromptsOrResources } from './support/no-prompts-or-resources.ts';

function tool(name: string, description = `${name} tool`): UpstreamTool {
  return { name, description, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } };
}

/** An in-memory upstream: its tool list, tool-change notifications and close() are driven by the test. */
function fakeUpstream(name: string, initialTools: UpstreamTool[]) {
  const listeners: Array<() => void> = [];
  const state = {
    tools: initialTools,
    closed: false,
    listCalls: 0,
    /** Replaces listTools' answer, e.g. to fail or to hold it back. */
    listTools: undefined as (() => Promise<UpstreamTool[]>) | undefined,
  };
  const connection: UpstreamConnection = {
    name,
    ...noPromptsOrResources,
    async listTools() {
      state.listCalls++;
      if (state.closed) throw new Error(`${name} is closed`);
      return state.listTools ? state.listTools() : state.tools.map((t) => ({ ...t }));
    },
    async callTool(toolName) {
      return { content: [{ type: 'text', text: `${name}:${toolName}` }] };
    },
    onToolsChanged(listener) {
      listeners.push(listener);
    },
    async close() {
      state.closed = true;
    },
  };
  return {
    state,
    connection,
    changeTools(tools: UpstreamTool[]) {
      state.tools = tools;
      for (const listener of listeners) listener();
    },
    notifyToolsChanged() {
      for (const listener of listeners) listener();
    },
  };
}

function serverOf(upstream: ReturnType<typeof fakeUpstream>): CatalogServer {
  return { name: upstream.connection.name, connect: async () => upstream.connection };
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Entries as `<server>__<tool>`, for compact assertions. */
const names = (catalog: ToolCatalog) => catalog.entries().map((entry) => `${entry.server}__${entry.upstreamName}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tool catalog', () => {
  let catalog: ToolCatalog | undefined;
  afterEach(async () => {
    await catalog?.close();
    catalog = undefined;
  });

  function create(options: Partial<ToolCatalogOptions> & Pick<ToolCatalogOptions, 'servers'>) {
    const captured = captureLogger();
    catalog = createToolCatalog({ portal: 'default', logger: captured.logger, retryDelayMs: 20, ...options });
    return { catalog, logs: captured };
  }

  it("lists every server's tools with their server, upstream name, connection and definition", async () => {
    const crm = fakeUpstream('crm', [tool('lookup', 'Find a customer'), tool('update')]);
    const docs = fakeUpstream('docs', [tool('lookup')]);
    const { catalog } = create({ servers: [serverOf(crm), serverOf(docs)] });

    await catalog.start();

    expect(names(catalog).sort()).toEqual(['crm__lookup', 'crm__update', 'docs__lookup']);
    const entry = catalog.entries().find((candidate) => candidate.server === 'crm' && candidate.upstreamName === 'lookup');
    expect(entry?.definition).toEqual(tool('lookup', 'Find a customer'));
    expect(entry?.upstream).toBe(crm.connection);
    expect(await entry?.upstream.callTool('lookup', {})).toEqual({ content: [{ type: 'text', text: 'crm:lookup' }] });
  });

  it('leaves out a server whose connect fails, logs it without failing start, and retries until it connects', async () => {
    const crm = fakeUpstream('crm', [tool('lookup')]);
    const flaky = fakeUpstream('flaky', [tool('ping')]);
    let attempts = 0;
    const flakyServer: CatalogServer = {
      name: 'flaky',
      async connect() {
        attempts++;
        if (attempts < 3) throw new Error('connection refused');
        return flaky.connection;
      },
    };
    const { catalog, logs } = create({ servers: [serverOf(crm), flakyServer] });
    let changes = 0;
    catalog.onChange(() => changes++);

    await catalog.start();

    expect(names(catalog)).toEqual(['crm__lookup']);
    expect(await logs.waitFor('could not connect to an upstream server')).toMatchObject({ server: 'flaky', retry_in_ms: 20, portal: 'default' });
    await waitUntil(() => names(catalog).includes('flaky__ping'), 'the flaky server connected');
    expect(attempts).toBe(3);
    expect(names(catalog).sort()).toEqual(['crm__lookup', 'flaky__ping']);
    expect(changes).toBeGreaterThanOrEqual(2);
  });

  it('refreshes its tools and tells listeners when an upstream reports a change', async () => {
    const crm = fakeUpstream('crm', [tool('lookup')]);
    const { catalog } = create({ servers: [serverOf(crm)] });
    await catalog.start();
    let changes = 0;
    catalog.onChange(() => changes++);

    crm.changeTools([tool('lookup'), tool('export')]);
    await waitUntil(() => changes === 1, 'the listener was told');

    expect(names(catalog)).toEqual(['crm__lookup', 'crm__export']);
    expect(names(catalog)).toContain('crm__export');

    crm.changeTools([tool('export')]);
    await waitUntil(() => changes === 2, 'the listener was told again');
    expect(names(catalog)).toEqual(['crm__export']);
    expect(names(catalog)).not.toContain('crm__lookup');
  });

  it('keeps the newest tool list when two refreshes answer out of order', async () => {
    const crm = fakeUpstream('crm', [tool('v1')]);
    const { catalog } = create({ servers: [serverOf(crm)] });
    await catalog.start();
    let changes = 0;
    catalog.onChange(() => changes++);

    let answerOld!: (tools: UpstreamTool[]) => void;
    crm.state.listTools = () => new Promise((resolve) => (answerOld = resolve));
    crm.notifyToolsChanged();
    crm.state.listTools = async () => [tool('v3')];
    crm.notifyToolsChanged();
    await waitUntil(() => changes === 1, 'the newer refresh finished');
    answerOld([tool('v2')]);
    await sleep(20);

    expect(names(catalog)).toEqual(['crm__v3']);
  });

  it('hides the tools of an upstream that fails to list them, and shows them again after it recovers', async () => {
    const crm = fakeUpstream('crm', [tool('lookup')]);
    const docs = fakeUpstream('docs', [tool('search')]);
    const { catalog, logs } = create({ servers: [serverOf(crm), serverOf(docs)] });
    await catalog.start();
    let changes = 0;
    catalog.onChange(() => changes++);

    crm.state.listTools = async () => {
      throw new Error('upstream restarting');
    };
    crm.notifyToolsChanged();
    await waitUntil(() => changes === 1, 'the failed refresh was reported');

    expect(names(catalog)).toEqual(['docs__search']);
    expect(await logs.waitFor('could not list the tools')).toMatchObject({ server: 'crm' });

    crm.state.listTools = undefined;
    crm.notifyToolsChanged();
    await waitUntil(() => changes === 2, 'the recovery was reported');
    expect(names(catalog).sort()).toEqual(['crm__lookup', 'docs__search']);
  });

  it('close() closes every upstream and stops retrying servers that are down', async () => {
    const crm = fakeUpstream('crm', [tool('lookup')]);
    let attempts = 0;
    const down: CatalogServer = {
      name: 'down',
      async connect() {
        attempts++;
        throw new Error('connection refused');
      },
    };
    const { catalog } = create({ servers: [serverOf(crm), down] });
    await catalog.start();
    await waitUntil(() => attempts >= 2, 'the down server was retried');

    await catalog.close();
    const attemptsAtClose = attempts;
    await sleep(80);

    expect(crm.state.closed).toBe(true);
    expect(attempts).toBe(attemptsAtClose);
  });

  it('closes an upstream whose connect finishes after close(), and schedules no retry for one that fails after close()', async () => {
    const late = fakeUpstream('late', [tool('ping')]);
    let connectLate!: () => void;
    let failLater!: () => void;
    let failingAttempts = 0;
    const lateServer: CatalogServer = {
      name: 'late',
      connect: () => new Promise((resolve) => (connectLate = () => resolve(late.connection))),
    };
    const failingServer: CatalogServer = {
      name: 'failing',
      connect: () => {
        failingAttempts++;
        return new Promise((_, reject) => (failLater = () => reject(new Error('connection refused'))));
      },
    };
    const { catalog, logs } = create({ servers: [lateServer, failingServer] });
    const starting = catalog.start();

    await catalog.close();
    connectLate();
    failLater();
    await starting;
    await sleep(60);

    expect(late.state.closed).toBe(true);
    expect(late.state.listCalls).toBe(0);
    expect(catalog.entries()).toEqual([]);
    expect(failingAttempts).toBe(1);
    expect(logs.lines.filter((line) => line.retry_in_ms !== undefined)).toEqual([]);
  });
});
