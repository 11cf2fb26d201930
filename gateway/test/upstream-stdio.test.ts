import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { connectStdioUpstream, connectUpstream, UpstreamError, type UpstreamConnection } from '../src/upstream/index.ts';
import { captureLogger } from './support/capture-logger.ts';
import { completedResult } from './support/completed-result.ts';

const DEMO_SERVER = fileURLToPath(new URL('../../demo/customer-records-server.ts', import.meta.url));

function passesLuhn(cardNumber: string): boolean {
  const digits = cardNumber.replace(/\D/g, '').split('').reverse().map(Number);
  const sum = digits.reduce((total, digit, index) => {
    if (index % 2 === 0) return total + digit;
    const doubled = digit * 2;
    return total + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return digits.length >= 13 && sum % 10 === 0;
}

function isValidSsn(ssn: string): boolean {
  const match = /^(\d{3})-(\d{2})-(\d{4})$/.exec(ssn);
  if (match === null) return false;
  const [, area, group, serial] = match as unknown as [string, string, string, string];
  return area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000';
}

function textOf(result: { content: Array<{ type: string }> }): string {
  const [first] = result.content;
  if (first === undefined || first.type !== 'text') throw new Error('expected a text content block');
  return (first as { type: 'text'; text: string }).text;
}

describe('stdio upstream against the demo customer-records server', () => {
  let connection: UpstreamConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
  });

  it('lists all tools with their schemas', async () => {
    const { logger } = captureLogger();
    connection = await connectStdioUpstream({ name: 'customers', command: process.execPath, args: [DEMO_SERVER], logger });

    const tools = await connection.listTools();

    expect(tools.map((tool) => tool.name).sort()).toEqual(['echo', 'get_customer', 'search_customers']);
    const getCustomer = tools.find((tool) => tool.name === 'get_customer');
    expect(getCustomer?.inputSchema).toMatchObject({ type: 'object', required: ['id'] });
    expect(getCustomer?.outputSchema).toMatchObject({ type: 'object' });
    expect(getCustomer?.annotations?.readOnlyHint).toBe(true);
  });

  it('returns a customer record holding a Luhn-valid card and a well-formed SSN', async () => {
    const { logger } = captureLogger();
    connection = await connectStdioUpstream({ name: 'customers', command: process.execPath, args: [DEMO_SERVER], logger });

    const result = completedResult(await connection.callTool('get_customer', { id: 'cus_1001' }));

    expect(result.isError).not.toBe(true);
    const record = JSON.parse(textOf(result)) as Record<string, string>;
    expect(record).toMatchObject({ id: 'cus_1001', name: 'Maria Gonzalez', email: 'maria.gonzalez@example.com' });
    expect(passesLuhn(record.card_number ?? '')).toBe(true);
    expect(isValidSsn(record.ssn ?? '')).toBe(true);
    expect(result.structuredContent).toEqual(record);
  });

  it('search_customers returns names and ids only', async () => {
    const { logger } = captureLogger();
    connection = await connectStdioUpstream({ name: 'customers', command: process.execPath, args: [DEMO_SERVER], logger });

    const result = completedResult(await connection.callTool('search_customers', { query: 'chicago' }));

    expect(result.structuredContent).toEqual({ customers: [{ id: 'cus_1002', name: "James O'Connor" }] });
    expect(textOf(result)).not.toMatch(/\d{3}-\d{2}-\d{4}/);
  });

  it('echo returns its message, and a missing customer is a tool error, not a failure', async () => {
    const { logger } = captureLogger();
    connection = await connectUpstream(
      { name: 'customers', transport: 'stdio', command: process.execPath, args: [DEMO_SERVER], env: {} },
      logger,
    );

    const echoed = completedResult(await connection.callTool('echo', { message: 'hello through the gate' }));
    const missing = completedResult(await connection.callTool('get_customer', { id: 'cus_9999' }));

    expect(textOf(echoed)).toBe('hello through the gate');
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('cus_9999');
  });

  it('sends the child stderr to the logger at debug level', async () => {
    const captured = captureLogger();
    connection = await connectStdioUpstream({ name: 'customers', command: process.execPath, args: [DEMO_SERVER], logger: captured.logger });

    const line = await captured.waitFor('upstream stderr');

    expect(line.level).toBe(20);
    expect(line.stderr).toBe('customer-records: serving MCP over stdio');
  });

  it('rejects with GH_ERR_UPSTREAM_START when the command cannot run', async () => {
    const { logger } = captureLogger();

    const attempt = connectStdioUpstream({ name: 'missing', command: '/nonexistent/mcp-server', logger });

    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_START', upstream: 'missing' });
  });

  it('rejects with GH_ERR_UPSTREAM_START when the process exits before the handshake', async () => {
    const { logger } = captureLogger();

    const attempt = connectStdioUpstream({ name: 'quitter', command: process.execPath, args: ['-e', 'process.exit(3)'], logger, connectTimeoutMs: 5_000 });

    await expect(attempt).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_START' });
  });

  it('fails calls after close() with GH_ERR_UPSTREAM_CLOSED', async () => {
    const { logger } = captureLogger();
    const closed = await connectStdioUpstream({ name: 'customers', command: process.execPath, args: [DEMO_SERVER], logger });
    await closed.close();

    await expect(closed.callTool('echo', { message: 'x' })).rejects.toMatchObject({ code: 'GH_ERR_UPSTREAM_CLOSED' });
  });
});
