import type { Decision, Finding } from '../../events/src/index.ts';
import { builtInTextScanner } from './built-in-scanner.ts';
import { DlpError } from './errors.ts';
import type { DlpAction, NamedDlpProfile } from './profile.ts';
import { redactPayload } from './redact-payload.ts';
import { scanPayload } from './scan-payload.ts';
import type { TextScanner } from './text-scanner.ts';

export interface Verdict {
  decision: Decision;
  findings: Finding[];
  /** Only for `redact`: the payload to forward instead of the original. */
  payload?: unknown;
  /** Names the profile and the detectors that decided; never a value. */
  reason: string;
}

/**
 * Block if any finding's action is block, else redact if any is redact, else allow. A payload
 * that cannot be scanned is blocked: no verdict may let unscanned data through.
 */
export function decideVerdict(
  payload: unknown,
  profile: NamedDlpProfile,
  scanner: TextScanner = builtInTextScanner(),
): Verdict {
  const prefix = `dlp profile ${JSON.stringify(profile.name)}`;
  let findings: Finding[];
  try {
    findings = scanPayload(payload, profile, scanner);
  } catch (error) {
    // Only our own messages are quoted: an error thrown from inside the payload could carry a value.
    const why = error instanceof DlpError ? `${error.code}: ${error.message}` : 'scanning failed';
    return { decision: 'block', findings: [], reason: `${prefix}: payload could not be scanned (${why})` };
  }

  const blocking = detectorsWith(findings, 'block');
  if (blocking.length > 0) return { decision: 'block', findings, reason: `${prefix}: ${blocking.join(', ')}` };

  const redacting = detectorsWith(findings, 'redact');
  if (redacting.length > 0) {
    return {
      decision: 'redact',
      findings,
      payload: redactPayload(payload, findings, { style: profile.redaction, actions: ['redact'] }),
      reason: `${prefix}: ${redacting.join(', ')}`,
    };
  }

  const audited = detectorsWith(findings, 'audit');
  const reason = audited.length > 0 ? `${prefix}: audit only (${audited.join(', ')})` : `${prefix}: no findings`;
  return { decision: 'allow', findings, reason };
}

function detectorsWith(findings: readonly Finding[], action: DlpAction): string[] {
  return [...new Set(findings.filter((f) => f.action === action).map((f) => f.detector))].sort();
}
