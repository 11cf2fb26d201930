import { describe, expect, it } from 'vitest';
import { formatRowsAsTable } from '../src/index.ts';

describe('formatRowsAsTable', () => {
  it('aligns columns, right-aligns numbers and counts the rows', () => {
    const table = formatRowsAsTable({
      columns: [
        { name: 'principal_subject', type: 'String' },
        { name: 'calls', type: 'UInt64' },
        { name: 'groups', type: 'Array(String)' },
      ],
      rows: [
        ['alice', '12', ['eng']],
        ['bob', '3', []],
      ],
    });

    expect(table).toBe(
      [
        'principal_subject | calls | groups',
        '------------------+-------+--------',
        'alice             |    12 | ["eng"]',
        'bob               |     3 | []',
        '(2 rows)',
      ].join('\n'),
    );
  });

  it('spells out NULL, shows line breaks and cuts long values', () => {
    const table = formatRowsAsTable(
      { columns: [{ name: 'v', type: 'Nullable(String)' }], rows: [[null], ['two\nlines'], ['x'.repeat(30)]] },
      { maxCellWidth: 10 },
    );

    expect(table.split('\n').slice(2)).toEqual(['NULL', 'two\\nlines', 'xxxxxxxxx…', '(3 rows)']);
  });

  it('prints only the count for a result without columns', () => {
    expect(formatRowsAsTable({ columns: [], rows: [] })).toBe('(0 rows)');
    expect(formatRowsAsTable({ columns: [{ name: 'n', type: 'UInt8' }], rows: [[1]] })).toBe('n\n-\n1\n(1 row)');
  });
});
