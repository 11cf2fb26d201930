import type { Decision, Finding } from '../../events/src/index.ts';
import { DlpError } from './errors.ts';
import type { CompiledProfile, DlpAction } from './profile.ts';
import { redactPayload } from './redact-payload.ts';
import { scanPayload, type ScanTools } from './scan-payload.ts';

export interface Verdict {
  decision: Decision;
  findings: Finding[];
  /** Only for `redact`: the payload to forward instead of the original. */
  payload?: unknown;
  /** Names the profile and the detectors that decided; never a value. */
  reason: string;
  /** Set when an oversize payload was allowed without being scanned. */
  unscanned?: true;
}

export interface VerdictTools extends ScanTools {
  /** Trailing characters the mask style may keep for a detector. */
  maskKeep(detector: string): number;
}

/**
 * Block if any finding's action is block, else redact if any is redact, else allow. A payload
 * that cannot be scanned is blocked: no verdict may let unscanned data through. A payload over
 * the profile's size limit is blocked, or allowed unscanned with a note, as the profile says.
 */
export function decideVerdict(payload: unknown, profile: CompiledProfile, tools: VerdictTools): Verdict {
  const prefix = `dlp profile ${JSON.stringify(profile.name)}`;
  let findings: Finding[];
  try {
    const result = scanPayload(payload, profile, tools);
    if ('oversize' in result) return oversizeVerdict(prefix, profile, result.oversize);
    findings = result.findings;
  } catch (error) {
    // Only our own messages are quoted: an error thrown from inside the payload could carry a value.
    const why = error instanceof DlpError ? `${error.code}: ${error.message}` : 'scanning failed';
    return { decision: 'block', findings: [], reason: `${prefix}: payload could not be scanned (${why})` };
  }

  if (findings.length === 0) return { decision: 'allow', findings, reason: `${prefix}: no findings` };
  const blocking = detectorsWith(findings, 'block');
  if (blocking.length > 0) return { decision: 'block', findings, reason: `${prefix}: ${blocking.join(', ')}` };

  const redacting = detectorsWith(findings, 'redact');
  if (redacting.length > 0) {
    return {
      decision: 'redact',
      findings,
      payload: redactPayload(payload, findings, { style: profile.redaction, maskKeep: tools.maskKeep, actions: ['redact'] }),
      reason: `${prefix}: ${redacting.join(', ')}`,
    };
  }

  const audited = detectorsWith(findings, 'audit');
  return { decision: 'allow', findings, reason: `${prefix}: audit only (${audited.join(', ')})` };
}

function oversizeVerdict(prefix: string, profile: CompiledProfile, size: number): Verdict {
  const over =
    `GH_ERR_DLP_PAYLOAD_TOO_LARGE: the payload has more than ${profile.maxPayloadChars} characters to scan ` +
    `(${size} counted before stopping); raise max_payload_chars or send less`;
  if (profile.oversize === 'allow') return { decision: 'allow', findings: [], unscanned: true, reason: `${prefix}: not scanned, allowed by oversize: allow; ${over}` };
  return { decision: 'block', findings: [], reason: `${prefix}: ${over}` };
}

function detectorsWith(findings: readonly Finding[], action: DlpAction): string[] {
  return [...new Set(findings.filter((f) => f.action === action).map((f) => f.detector))].sort();
}
