import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPipeline, type EmbeddedPipeline } from '../../cli/src/run/embedded-pipeline.ts';
import { demoConfig } from '../../cli/src/config/demo-config.ts';
import { REPO_ROOT } from '../../cli/src/config/load-settings.ts';
import { waitForAuditRows } from '../support/audit-rows.ts';
import { connectMcpClient } from '../support/mcp-client.ts';
import { TEST_TOKEN, temporaryDirectory, testLogger, testSettings } from '../support/pipeline.ts';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/** The value of the first sample of `name` whose labels include `labels`, in Prometheus text format. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** A stand-in OpenTelemetry collector: takes OTLP/HTTP JSON trace exports and keeps the spans. */
async function startCollector(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: Array<Omit<ReceivedSpan, 'service'>> }>;
        }>;
      };
      for (const resourceSpans of body.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, server };
}

// The embedded pipeline with metrics and OTLP tracing on: one call's spans form one trace that
// continues the client's traceparent, across the bus to the DLP worker and audit-ingest.
describe('observability of the pipeline', () => {
  let pipeline: EmbeddedPipeline;
  let removeDir: () => Promise<void>;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const clientSpanId = '00f067aa0ba902b7';

  beforeAll(async () => {
    collector = await startCollector();
    const temp = await temporaryDirectory('observability');
    removeDir = temp.remove;
    const config = { ...demoConfig(REPO_ROOT, process.execPath), observability: { tracing: { exporter: 'otlp', endpoint: collector.url } } };
    pipeline = await startEmbeddedPipeline(testSettings({ dataDir: temp.dir, config }), testLogger);
  });

  afterAll(async () => {
    await pipeline?.close();
    await removeDir?.();
    collector?.server.close();
  });

  it('is ready, and counts calls, verdicts and bus traffic at /metrics', async () => {
    const ready = await fetch(`${pipeline.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });

    const client = await connectMcpClient(`${pipeline.url}/mcp`, TEST_TOKEN, 'legacy');
    const result = await client.callTool({ name: 'customers__get_customer', arguments: { id: 'cus_1001' } });
    await client.close();
    expect(result.isError).toBeFalsy();

    const response = await fetch(`${pipeline.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const metrics = await response.text();
    expect(sample(metrics, 'gatehouse_tool_calls_total', { portal: 'demo', server: 'customers', tool: 'get_customer', outcome: 'redacted', role: 'embedded' })).toBe(1);
    expect(sample(metrics, 'gatehouse_gateway_verdict_seconds_count', { direction: 'result', decision: 'redact' })).toBe(1);
    expect(sample(metrics, 'gatehouse_dlp_findings_total', { detector: 'payment_card', action: 'redact' })).toBeGreaterThan(0);
    expect(sample(metrics, 'gatehouse_bus_batch_events_count', { group: 'gatehouse-audit-ingest' })).toBeGreaterThan(0);
    expect(sample(metrics, 'gatehouse_mcp_requests_total', { portal: 'demo', method: 'POST', status: '200' })).toBeGreaterThan(0);
    expect(metrics).not.toContain('4539 1488 0343 6467');
  });

  it('continues the client\'s traceparent through the gateway, the bus, the DLP worker and audit-ingest', async () => {
    // A stateless tools/call (2025-11-25 era) as a traced client sends it.
    const response = await fetch(`${pipeline.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
        traceparent: `00-${traceId}-${clientSpanId}-01`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'customers__echo', arguments: { text: 'hello' } } }),
    });
    expect(response.status).toBe(200);
    await response.text();

    const rows = await waitForAuditRows(
      (sql) => pipeline.store.query(sql),
      `SELECT type FROM audit_events WHERE trace_id = '${traceId}'`,
      (found) => found.some((row) => row['type'] === 'tool.call.completed'),
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);

    await pipeline.close();
    const spans = collector.spans.filter((span) => span.traceId === traceId);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const call = spans.find((span) => span.name === 'tools/call echo')!;
    expect(call.parentSpanId).toBe(clientSpanId);
    const parentName = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId)?.name : undefined);
    const names = spans.map((span) => `${span.name} <- ${parentName(span) ?? span.parentSpanId}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'dlp verdict arguments <- tools/call echo',
        'upstream tools/call echo <- tools/call echo',
        `send ${pipeline.topics.invocations} <- dlp verdict arguments`,
        `process ${pipeline.topics.invocations} <- send ${pipeline.topics.invocations}`,
        `send ${pipeline.topics.audit} <- process ${pipeline.topics.invocations}`,
        `process ${pipeline.topics.audit} <- send ${pipeline.topics.audit}`,
      ]),
    );
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['gatehouse-embedded']));
  });
});
