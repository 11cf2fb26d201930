/** The time range and interval Grafana would send with a panel's query. */
export interface MacroRange {
  fromMs: number;
  toMs: number;
  intervalMs: number;
}

const dateTime = (ms: number) => `toDateTime(${Math.floor(ms / 1000)})`;
const dateTime64 = (ms: number) => `fromUnixTimestamp64Milli(${ms})`;
const date = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;

/**
 * Expands the macros of the grafana-clickhouse-datasource plugin as its backend does
 * (pkg/macros/macros.go): `$__timeFilter(col)` is `col >= toDateTime(from) AND col <= toDateTime(to)`
 * in whole seconds, `$__timeInterval(col)` is `toStartOfInterval(toDateTime(col), INTERVAL n second)`
 * with n the interval in seconds (at least 1), and so on. An unknown macro fails the expansion.
 */
export function expandClickHouseMacros(sql: string, range: MacroRange): string {
  const seconds = Math.max(Math.floor(range.intervalMs / 1000), 1);
  const milliseconds = Math.max(Math.floor(range.intervalMs), 1);
  const between = (column: string, bound: (ms: number) => string) => `${column} >= ${bound(range.fromMs)} AND ${column} <= ${bound(range.toMs)}`;
  return sql.replace(/\$__(\w+)(?:\(([^)]*)\))?/g, (whole, name: string, args: string | undefined) => {
    const column = args?.trim();
    const needsColumn = (expanded: (c: string) => string) => {
      if (!column) throw new Error(`${whole}: the macro takes one column`);
      return expanded(column);
    };
    switch (name) {
      case 'fromTime':
        return dateTime(range.fromMs);
      case 'toTime':
        return dateTime(range.toMs);
      case 'fromTime_ms':
        return dateTime64(range.fromMs);
      case 'toTime_ms':
        return dateTime64(range.toMs);
      case 'timeFilter':
        return needsColumn((c) => between(c, dateTime));
      case 'timeFilter_ms':
        return needsColumn((c) => between(c, dateTime64));
      case 'dateFilter':
        return needsColumn((c) => between(c, date));
      case 'timeInterval':
        return needsColumn((c) => `toStartOfInterval(toDateTime(${c}), INTERVAL ${seconds} second)`);
      case 'timeInterval_ms':
        return needsColumn((c) => `toStartOfInterval(toDateTime64(${c}, 3), INTERVAL ${milliseconds} millisecond)`);
      case 'interval_s':
        return String(seconds);
      default:
        throw new Error(`${whole}: not a macro of the ClickHouse datasource`);
    }
  });
}
