/** Topic names of the event contract. The prefix is configurable so several deployments can share a cluster. */
export interface Topics {
  /** Requests and upstream results awaiting a verdict. Carries raw payloads: short retention, tightest ACLs. */
  invocations: string;
  /** Audit trail: sanitized calls, verdicts, outcomes, denials. Long retention; what audit-ingest stores. */
  audit: string;
  /** Reply topic of one gateway instance: verdicts for the calls that instance published, and nothing else. */
  verdictsFor(instanceId: string): string;
}

export const DEFAULT_TOPIC_PREFIX = 'gatehouse.';

export function topicNames(prefix: string = DEFAULT_TOPIC_PREFIX): Topics {
  return {
    invocations: `${prefix}invocations`,
    audit: `${prefix}audit`,
    verdictsFor: (instanceId) => `${prefix}verdicts.${instanceId}`,
  };
}
