/**
 * The bundled demo MCP server: a small "customer database" over stdio whose records carry the
 * kinds of data Gatehouse's DLP is meant to catch. Run it with `node demo/customer-records-server.ts`.
 * stdout carries only JSON-RPC; diagnostics go to stderr.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { CustomerRecordSchema, CustomerSummarySchema, findCustomer, searchCustomers } from './customer-records.ts';

function createCustomerRecordsServer(): McpServer {
  const server = new McpServer(
    { name: 'customer-records', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } } },
  );

  server.registerTool(
    'get_customer',
    {
      title: 'Get customer',
      description: 'Returns the full customer record (contact details, payment card, SSN) for a customer id such as "cus_1001".',
      inputSchema: z.object({ id: z.string().describe('Customer id, e.g. "cus_1001"') }),
      outputSchema: CustomerRecordSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id }) => {
      const customer = findCustomer(id);
      if (customer === undefined) {
        return {
          isError: true,
          content: [{ type: 'text', text: `No customer with id "${id}"; use search_customers to find ids.` }],
        };
      }
      return { content: [{ type: 'text', text: JSON.stringify(customer) }], structuredContent: customer };
    },
  );

  server.registerTool(
    'search_customers',
    {
      title: 'Search customers',
      description: 'Finds customers whose name or city contains the query; returns ids and names only.',
      inputSchema: z.object({ query: z.string().describe('Part of a name or city; empty lists everyone') }),
      outputSchema: z.object({ customers: z.array(CustomerSummarySchema) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query }) => {
      const result = { customers: searchCustomers(query) };
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    },
  );

  server.registerTool(
    'echo',
    {
      description: 'Returns its message unchanged (used by benchmarks and smoke tests).',
      inputSchema: z.object({ message: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ message }) => ({ content: [{ type: 'text', text: message }] }),
  );

  server.registerResource(
    'customer',
    new ResourceTemplate('customers://{id}', {
      list: async () => ({ resources: searchCustomers('').map((customer) => ({ uri: `customers://${customer.id}`, name: customer.name, mimeType: 'application/json' })) }),
    }),
    { description: 'A customer record as JSON (contact details, payment card, SSN).', mimeType: 'application/json' },
    async (uri, variables) => {
      const customer = findCustomer(String(variables['id']));
      if (customer === undefined) throw new Error(`No customer at ${uri.href}`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(customer) }] };
    },
  );

  server.registerPrompt(
    'customer_brief',
    { description: 'A prompt asking to brief an agent on one customer, with the full record inlined.', argsSchema: z.object({ id: z.string() }) },
    ({ id }) => {
      const customer = findCustomer(id);
      const record = customer === undefined ? `No customer with id "${id}".` : JSON.stringify(customer);
      return { messages: [{ role: 'user', content: { type: 'text', text: `Brief me on this customer before my call:\n${record}` } }] };
    },
  );

  return server;
}

const handle = serveStdio(() => createCustomerRecordsServer(), {
  onerror: (error) => process.stderr.write(`customer-records: ${error.message}\n`),
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void handle.close().finally(() => process.exit(0));
  });
}
process.stderr.write('customer-records: serving MCP over stdio\n');
