import { Faker, en } from '@faker-js/faker';

/**
 * MCP-shaped tool results for the DLP benchmarks: arrays of database-like rows with ids, UUIDs,
 * timestamps, versions, order numbers, amounts and prose. `clean` rows hold nothing any default
 * detector finds; with findings, one row in four also carries an email, a card number, an SSN and
 * (one in forty) a credential, so there is about one finding per 300 bytes.
 */
export function mcpResultPayload(options: { targetBytes: number; withFindings: boolean; seed: number }): unknown {
  const f = new Faker({ locale: [en], seed: options.seed });
  const rows: Array<Record<string, unknown>> = [];
  let size = 0;
  for (let i = 0; size < options.targetBytes; i++) {
    const row: Record<string, unknown> = {
      id: f.string.uuid(),
      order_number: `ORD-2026-${f.string.numeric(6)}`,
      status: f.helpers.arrayElement(['shipped', 'pending', 'refunded', 'cancelled']),
      created_at: f.date.recent().toISOString(),
      amount: Number(f.commerce.price()),
      currency: 'EUR',
      sku: f.string.alphanumeric({ length: 10, casing: 'upper' }),
      build: f.git.commitSha(),
      client_version: f.system.semver(),
      description: f.commerce.productDescription(),
      notes: f.lorem.sentences(2),
      tags: [f.commerce.department(), f.commerce.productAdjective()],
    };
    if (options.withFindings && i % 4 === 0) {
      row['contact'] = `Customer wrote from ${f.internet.email()} about card 4539 1488 0343 6467 and SSN 512-34-7821.`;
      if (i % 40 === 20) row['debug'] = `config AWS_ACCESS_KEY_ID=AKIA${f.string.fromCharacters('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
    }
    rows.push(row);
    size += JSON.stringify(row).length + 1;
  }
  return { content: [{ type: 'text', text: `${rows.length} orders` }], structuredContent: { orders: rows }, isError: false };
}
