import type { ReadOnlyQueryResult } from './read-only-query.ts';

/** A result as RFC 4180 CSV: a header line, then one line per row, CRLF line ends. */
export function formatRowsAsCsv(result: ReadOnlyQueryResult): string {
  const lines = [result.columns.map((column) => csvField(column.name)), ...result.rows.map((row) => row.map(csvField))];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quote what would split a field or a line, and what a spreadsheet would run as a formula.
  const formula = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text);
  const escaped = formula ? `'${text}` : text;
  return /[",\r\n]/.test(escaped) || formula ? `"${escaped.replace(/"/g, '""')}"` : escaped;
}
