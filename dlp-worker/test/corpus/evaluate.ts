import type { Finding } from '../../../events/src/index.ts';
import type { CorpusSample, Label } from './generate-corpus.ts';

export interface DetectorScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

const overlaps = (finding: Finding, label: Label) => finding.path === label.path && finding.start < label.end && label.start < finding.end;

/**
 * Per-detector precision and recall of `findingsOf` over a labeled corpus. A finding counts when
 * a label of the same detector covers part of it in the same string; any other finding is a false
 * positive, and a label no finding covers is a false negative.
 */
export function scoreCorpus(corpus: readonly CorpusSample[], findingsOf: (payload: unknown) => Finding[]): Map<string, DetectorScore> {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (detector: string) => {
    let entry = counts.get(detector);
    if (!entry) counts.set(detector, (entry = { tp: 0, fp: 0, fn: 0 }));
    return entry;
  };
  for (const sample of corpus) {
    const findings = findingsOf(sample.payload);
    for (const label of sample.labels) {
      if (findings.some((finding) => finding.detector === label.detector && overlaps(finding, label))) count(label.detector).tp++;
      else count(label.detector).fn++;
    }
    for (const finding of findings) {
      if (!sample.labels.some((label) => label.detector === finding.detector && overlaps(finding, label))) count(finding.detector).fp++;
    }
  }
  return new Map(
    [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([detector, { tp, fp, fn }]) => [
      detector,
      { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) },
    ]),
  );
}

export function formatScores(scores: ReadonlyMap<string, DetectorScore>): string {
  const rows = [...scores].map(([detector, s]) =>
    [detector.padEnd(26), String(s.truePositives).padStart(5), String(s.falsePositives).padStart(5), String(s.falseNegatives).padStart(5), s.precision.toFixed(3).padStart(9), s.recall.toFixed(3).padStart(7)].join(' '),
  );
  return [`${'detector'.padEnd(26)}    tp    fp    fn precision  recall`, ...rows].join('\n');
}
