import RE2 from 're2';
import type { Detector } from './detector.ts';
import { DlpError } from './errors.ts';

const DETECTOR_ID = /^[a-z][a-z0-9_]*$/;

/**
 * Checks a set of detectors and returns them sorted by id. A duplicate id, a pattern RE2 rejects
 * or a context word that could never match lowercased text fails here, when the registry is built,
 * rather than silently during a scan.
 */
export function createDetectorRegistry(detectors: readonly Detector[], options: { requireExamples?: boolean } = {}): readonly Detector[] {
  const sorted = [...detectors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const detector = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.id === detector.id) {
      throw new DlpError('GH_ERR_DLP_DETECTOR_DUPLICATE', `two detectors have the id "${detector.id}"; give each a unique id`);
    }
    checkDetector(detector, options.requireExamples ?? true);
  }
  return Object.freeze(sorted);
}

function checkDetector(detector: Detector, requireExamples: boolean): void {
  const invalid = (problem: string) =>
    new DlpError('GH_ERR_DLP_DETECTOR_INVALID', `detector "${detector.id}": ${problem}`);
  if (!DETECTOR_ID.test(detector.id)) throw invalid('the id must be snake_case (a-z, 0-9, _), starting with a letter');
  if (!(detector.confidence >= 0 && detector.confidence <= 1)) throw invalid('confidence must be between 0 and 1');
  try {
    new RE2(detector.pattern);
  } catch (error) {
    throw invalid(`RE2 rejects the pattern: ${(error as Error).message}`);
  }
  if (detector.prefilter !== undefined) {
    let prefilter: RE2;
    try {
      prefilter = new RE2(detector.prefilter);
    } catch (error) {
      throw invalid(`RE2 rejects the prefilter: ${(error as Error).message}`);
    }
    if (prefilter.test('')) throw invalid('the prefilter matches the empty string, so it would select every string; make it require a character');
  }
  for (const word of [...(detector.context?.words ?? []), ...(detector.context?.against ?? [])]) {
    if (word === '' || word !== word.toLowerCase()) {
      throw invalid(`context word "${word}" must be non-empty and lowercase: context is matched against lowercased text`);
    }
  }
  if (requireExamples && (detector.positives.length === 0 || detector.negatives.length === 0)) {
    throw invalid('needs at least one positive and one negative example');
  }
}
