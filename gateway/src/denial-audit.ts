import type { DenialReason, Principal } from '../../events/src/index.ts';

/** Records a refused request in the audit trail; resolves even when the bus is down (the refusal stands). */
export type DenialAudit = (denial: {
  principal?: Principal;
  portal: string;
  tool?: string;
  reason: DenialReason;
  detail: string;
  /** The config setting that decided, e.g. `portals[support].servers[crm].access`. */
  rule?: string;
  traceId?: string;
}) => Promise<void>;
