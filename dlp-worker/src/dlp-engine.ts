import { customDetector } from './custom-detectors.ts';
import { ENCODED_TEXT_PREFILTER } from './decode-text.ts';
import { decideVerdict, type Verdict } from './decide-verdict.ts';
import type { Detector } from './detector.ts';
import { createDetectorRegistry } from './detector-registry.ts';
import { builtInDetectors } from './detectors/index.ts';
import { resolveProfile, type DlpConfig } from './dlp-config.ts';
import { DlpError } from './errors.ts';
import { exactListDetector } from './exact-lists.ts';
import { createKeyedHasher, type KeyedHasher } from './keyed-hash.ts';
import { createKeyedIndex } from './keyed-detection.ts';
import { compileProfile, type CompiledProfile } from './profile.ts';
import { scanPayload, type ScanResult } from './scan-payload.ts';
import { createTextScanner, type TextScanner } from './text-scanner.ts';
import { TEST_VALUES } from './detectors/test-values.ts';

export interface DlpEngineOptions {
  dlp: DlpConfig;
  /**
   * The resolved value of `dlp.hash_key` (the CLI reads the variable). Without one, hashes use a
   * random key that lives as long as the process; a config with exact lists or hash redaction
   * then fails with GH_ERR_DLP_HASH_KEY_MISSING.
   */
  hashKey?: string;
}

/** Everything compiled once per config: detectors (built-in, custom, exact lists), sets and profiles. */
export interface DlpEngine {
  readonly detectors: readonly Detector[];
  readonly scanner: TextScanner;
  readonly hasher: KeyedHasher;
  /** The compiled profile by name, or undefined when the config has none by that name. */
  profile(name: string): CompiledProfile | undefined;
  scan(payload: unknown, profile: CompiledProfile): ScanResult;
  /** The verdict under a named profile; an unknown name is blocked, never scanned with another profile. */
  decide(payload: unknown, profileName: string): Verdict;
  /** Trailing characters the mask style may keep for a detector. */
  maskKeep(detector: string): number;
}

export function createDlpEngine(options: DlpEngineOptions): DlpEngine {
  const { dlp } = options;
  const needsStableKey = dlp.exact_lists.length > 0 || Object.values(dlp.profiles).some((profile) => profile.redaction === 'hash');
  if (needsStableKey && options.hashKey === undefined) {
    throw new DlpError(
      'GH_ERR_DLP_HASH_KEY_MISSING',
      'the DLP config uses exact_lists or redaction: hash, which need dlp.hash_key; set it to { env: NAME } and export the variable',
    );
  }
  const hasher = createKeyedHasher(options.hashKey);
  const detectors = createDetectorRegistry(
    [...builtInDetectors, ...dlp.custom_detectors.map(customDetector), ...dlp.exact_lists.map((list) => exactListDetector(list, hasher))],
    { requireExamples: false },
  );
  const byId = new Map(detectors.map((detector) => [detector.id, detector]));
  const scanner = createTextScanner(detectors, { select: ENCODED_TEXT_PREFILTER });
  const tools = {
    scanner,
    keyed: createKeyedIndex(detectors),
    hasher,
    testValues: TEST_VALUES,
    maskKeep: (detector: string) => byId.get(detector)?.maskKeep ?? 0,
  };
  const compiled = new Map<string, CompiledProfile>();
  const limits = { maxPayloadChars: dlp.max_payload_chars, oversize: dlp.oversize };

  const profile = (name: string): CompiledProfile | undefined => {
    let found = compiled.get(name);
    if (found === undefined) {
      const named = resolveProfile(dlp, name);
      if (named === undefined) return undefined;
      compiled.set(name, (found = compileProfile(named, detectors, limits)));
    }
    return found;
  };

  return {
    detectors,
    scanner,
    hasher,
    profile,
    maskKeep: tools.maskKeep,
    scan: (payload, compiledProfile) => scanPayload(payload, compiledProfile, tools),
    decide(payload, profileName) {
      const found = profile(profileName);
      if (found === undefined) return unknownProfileVerdict(profileName, dlp);
      return decideVerdict(payload, found, tools);
    },
  };
}

/** Fail closed: an invocation naming a profile the config lacks is blocked, never scanned with another. */
function unknownProfileVerdict(name: string, dlp: DlpConfig): Verdict {
  const known = Object.keys(dlp.profiles).sort().join(', ');
  return {
    decision: 'block',
    findings: [],
    reason: `dlp profile ${JSON.stringify(name)} is not configured; known profiles: ${known}`,
  };
}
