import type { Event } from '../events.ts';
import type { Metrics } from './metrics.ts';

/**
 * Metrics that follow from an event a role publishes, so the DLP worker is measured by what it
 * decides without code of its own: a `dlp.verdict` carries its decision, scan time and findings
 * (detector and action only; never a value).
 */
export function observePublishedEvent(metrics: Metrics, event: Event): void {
  if (event.type !== 'dlp.verdict') return;
  const { direction, decision, profile, scan_ms, findings } = event.body;
  metrics.dlpDecisions.inc({ direction, decision, profile });
  metrics.dlpScanSeconds.observe({ direction }, scan_ms / 1000);
  for (const finding of findings) metrics.dlpFindings.inc({ detector: finding.detector, action: finding.action });
}
