import type { ReadOnlyQueryResult } from './read-only-query.ts';

export interface TableFormatOptions {
  /** Longer cell values are cut and end with `…`. */
  maxCellWidth?: number;
}

const NUMERIC_TYPE = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/;

/**
 * A result as a plain-text table for a terminal: a header, a rule, one line per row (numbers
 * right-aligned, NULL spelled out, line breaks shown as `\n`), and the row count.
 */
export function formatRowsAsTable(result: ReadOnlyQueryResult, options: TableFormatOptions = {}): string {
  const maxWidth = options.maxCellWidth ?? 60;
  const headers = result.columns.map((column) => column.name);
  const numeric = result.columns.map((column) => NUMERIC_TYPE.test(column.type));
  const cells = result.rows.map((row) => headers.map((_, index) => cellText(row[index], maxWidth)));
  const widths = headers.map((header, index) => Math.max(width(header), ...cells.map((row) => width(row[index]!))));
  const line = (values: string[], alignRight: boolean[]) =>
    values
      .map((value, index) => {
        const padding = ' '.repeat(widths[index]! - width(value));
        return alignRight[index] ? padding + value : value + padding;
      })
      .join(' | ')
      .trimEnd();
  const count = `(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`;
  if (headers.length === 0) return count;
  return [
    line(headers, headers.map(() => false)),
    widths.map((columnWidth) => '-'.repeat(columnWidth)).join('-+-'),
    ...cells.map((row) => line(row, numeric)),
    count,
  ].join('\n');
}

function cellText(value: unknown, maxWidth: number): string {
  let text: string;
  if (value === null || value === undefined) text = 'NULL';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value);
  text = text.replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t');
  const chars = [...text];
  return chars.length > maxWidth ? `${chars.slice(0, maxWidth - 1).join('')}…` : text;
}

/** Width in code points, so accented names and emoji do not push later columns out of line. */
function width(text: string): number {
  return [...text].length;
}
