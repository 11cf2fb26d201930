import type { Clock } from '../../events/src/index.ts';
import { AuditIngestError } from './errors.ts';

/** How a named query's parameter is written by its caller and bound in ClickHouse. */
export type QueryParamType = 'DateTime' | 'String' | 'UInt32';

export interface QueryParamSpec {
  type: QueryParamType;
  description: string;
  /** Used when the caller leaves the parameter out; a parameter without one is required. */
  default?: string;
}

/** The ClickHouse type in the `{name:Type}` placeholder of each parameter type. */
export const CLICKHOUSE_PARAM_TYPES: Record<QueryParamType, string> = {
  DateTime: "DateTime64(3, 'UTC')",
  String: 'String',
  UInt32: 'UInt32',
};

const RELATIVE_TIME = /^-(\d{1,6})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A parameter value as given (`--param from=-7d`, `?from=2026-03-01`) in the text form ClickHouse
 * parses for its type. Times: an ISO 8601 date or date-time, `now`, or `-<n>m|h|d` before now.
 */
export function parseQueryParam(name: string, spec: QueryParamSpec, raw: string, clock: Clock): string {
  const invalid = (expected: string) =>
    new AuditIngestError('GH_ERR_AUDIT_QUERY_PARAM_INVALID', `parameter ${name} must be ${expected}, not ${JSON.stringify(raw.slice(0, 60))}`);
  switch (spec.type) {
    case 'DateTime': {
      const relative = RELATIVE_TIME.exec(raw);
      const ms = raw === 'now' ? clock.now() : relative ? clock.now() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS] : isoTime(raw);
      if (ms === undefined) throw invalid('an ISO 8601 time (2026-03-01 or 2026-03-01T09:00:00Z), "now" or "-<n>m", "-<n>h", "-<n>d"');
      return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    }
    case 'UInt32':
      if (!/^\d{1,10}$/.test(raw) || Number(raw) > 0xffff_ffff) throw invalid('a whole number from 0 to 4294967295');
      return raw;
    case 'String':
      if (raw.length > 1_000) throw invalid('at most 1000 characters');
      return raw;
  }
}

function isoTime(raw: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) return undefined;
  // A time without a zone is UTC, as the audit trail's times are.
  const withZone = /T|\s/.test(raw) && !/(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? `${raw.replace(' ', 'T')}Z` : raw.replace(' ', 'T');
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}
