import type { Finding } from '../../../events/src/index.ts';
import { DETECTOR_TYPES } from '../../src/detector.ts';
import { DlpConfigSchema } from '../../src/dlp-config.ts';
import { createDlpEngine, type DlpEngine } from '../../src/dlp-engine.ts';
import { compileProfile, DlpProfileSchema, type CompiledProfile } from '../../src/profile.ts';

export const TEST_HASH_KEY = 'test-hash-key-0123456789';

/** An engine over the built-in detectors and profiles, with a fixed hash key. */
export function builtInEngine(config: unknown = {}): DlpEngine {
  return createDlpEngine({ dlp: DlpConfigSchema.parse(config), hashKey: TEST_HASH_KEY });
}

const shared = builtInEngine();

/** Every detector at its default minimum confidence, action `audit`: what each detector finds on its own. */
export function auditEverything(engine: DlpEngine = shared): CompiledProfile {
  const profile = DlpProfileSchema.parse({ types: Object.fromEntries(DETECTOR_TYPES.map((type) => [type, 'audit'])) });
  return compileProfile({ name: 'audit-everything', ...profile }, engine.detectors, { maxPayloadChars: 1 << 24, oversize: 'block' });
}

const everything = auditEverything();

/** Findings of every built-in detector in a payload. */
export function findAll(payload: unknown, engine: DlpEngine = shared): Finding[] {
  const result = engine.scan(payload, engine === shared ? everything : auditEverything(engine));
  if ('oversize' in result) throw new Error('unexpected oversize');
  return result.findings;
}
