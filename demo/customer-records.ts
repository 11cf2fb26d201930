import { z } from 'zod';

/**
 * Fictional customers for demos and tests. The card numbers pass the Luhn check and the SSNs
 * follow the area/group/serial rules, so the DLP detectors treat them as real; none belongs
 * to a real person (names are invented, phones are in the 555-01xx fiction range, emails use
 * example.com).
 */
export const CustomerRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  card_number: z.string(),
  ssn: z.string(),
  city: z.string(),
});
export type CustomerRecord = z.infer<typeof CustomerRecordSchema>;

export const CustomerSummarySchema = CustomerRecordSchema.pick({ id: true, name: true });
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const CUSTOMER_RECORDS: readonly CustomerRecord[] = [
  {
    id: 'cus_1001',
    name: 'Maria Gonzalez',
    email: 'maria.gonzalez@example.com',
    phone: '+1 415-555-0142',
    card_number: '4539 1488 0343 6467',
    ssn: '512-34-7821',
    city: 'San Francisco',
  },
  {
    id: 'cus_1002',
    name: "James O'Connor",
    email: 'james.oconnor@example.com',
    phone: '+1 312-555-0187',
    card_number: '5425 2334 3010 9903',
    ssn: '287-65-4310',
    city: 'Chicago',
  },
  {
    id: 'cus_1003',
    name: 'Priya Raman',
    email: 'priya.raman@example.com',
    phone: '+1 206-555-0119',
    card_number: '6011 0009 9013 9424',
    ssn: '401-22-9087',
    city: 'Seattle',
  },
  {
    id: 'cus_1004',
    name: 'Tomasz Nowak',
    email: 'tomasz.nowak@example.com',
    phone: '+1 617-555-0163',
    card_number: '3714 496353 98431',
    ssn: '623-18-4402',
    city: 'Boston',
  },
];

export function findCustomer(id: string): CustomerRecord | undefined {
  return CUSTOMER_RECORDS.find((customer) => customer.id === id);
}

/** Case-insensitive match on name or city; an empty query lists everyone. */
export function searchCustomers(query: string): CustomerSummary[] {
  const needle = query.trim().toLowerCase();
  return CUSTOMER_RECORDS.filter(
    (customer) => needle === '' || customer.name.toLowerCase().includes(needle) || customer.city.toLowerCase().includes(needle),
  ).map(({ id, name }) => ({ id, name }));
}
