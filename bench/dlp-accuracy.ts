/**
 * DLP accuracy on the seeded, labeled corpus of MCP-shaped payloads: per-detector precision and
 * recall (strict profile), then the credential part side by side with secretlint's recommended
 * preset: precision, recall and time.
 * Run: node bench/dlp-accuracy.ts   (BENCH_DLP_SAMPLES sets the corpus size, default 4000)
 */
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { Finding } from '../events/src/index.ts';
import { DlpConfigSchema, createDlpEngine } from '../dlp-worker/src/index.ts';
import { formatScores, scoreCorpus } from '../dlp-worker/test/corpus/evaluate.ts';
import { CREDENTIAL_DETECTORS, generateCorpus, type CorpusSample } from '../dlp-worker/test/corpus/generate-corpus.ts';

const SAMPLES = Number(process.env['BENCH_DLP_SAMPLES'] ?? 4000);
const corpus = generateCorpus({ seed: 20260301, samples: SAMPLES });
const engine = createDlpEngine({ dlp: DlpConfigSchema.parse({}), hashKey: 'bench-key' });

const scanWith = (profileName: string) => {
  const profile = engine.profile(profileName)!;
  return (payload: unknown): Finding[] => {
    const result = engine.scan(payload, profile);
    return 'oversize' in result ? [] : result.findings;
  };
};

const negatives = corpus.filter((sample) => sample.labels.length === 0).length;
console.log(`Corpus: ${corpus.length} payloads (${negatives} without sensitive values), seed 20260301\n`);
console.log('Gatehouse, strict profile, every detector:');
console.log(formatScores(scoreCorpus(corpus, scanWith('strict'))));

/** Every string leaf of a payload with its JSON path. */
function stringLeaves(value: unknown, path = '$', out: Array<{ path: string; text: string }> = []) {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((item, i) => stringLeaves(item, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) stringLeaves(child, `${path}.${key}`, out);
  return out;
}

// The credential part: payloads whose labels are all credentials, and every payload without labels.
const credentialPart: CorpusSample[] = corpus
  .filter((sample) => sample.labels.every((label) => CREDENTIAL_DETECTORS.has(label.detector)))
  .map((sample) => ({ ...sample, labels: sample.labels.map((label) => ({ ...label, detector: 'credential' })) }));

interface Outcome {
  precision: number;
  recall: number;
  ms: number;
}

function sampleLevel(findingsOf: Map<CorpusSample, Finding[]>): Omit<Outcome, 'ms'> {
  const scores = scoreCorpus(credentialPart, (payload) => findingsOf.get(credentialPart.find((sample) => sample.payload === payload)!)!);
  const score = scores.get('credential') ?? { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  const tp = score.truePositives;
  return { precision: tp / Math.max(1, tp + score.falsePositives), recall: tp / Math.max(1, tp + score.falseNegatives) };
}

async function gatehouse(): Promise<Outcome> {
  const scan = scanWith('credentials');
  const found = new Map<CorpusSample, Finding[]>();
  const started = performance.now();
  for (const sample of credentialPart) found.set(sample, scan(sample.payload));
  const ms = performance.now() - started;
  for (const [sample, findings] of found) found.set(sample, findings.map((finding) => ({ ...finding, detector: 'credential' })));
  return { ...sampleLevel(found), ms };
}

async function secretlint(): Promise<Outcome> {
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] };
  const found = new Map<CorpusSample, Finding[]>();
  const started = performance.now();
  for (const sample of credentialPart) {
    const findings: Finding[] = [];
    for (const leaf of stringLeaves(sample.payload)) {
      const result = await lintSource({ source: { content: leaf.text, filePath: 'payload.txt', contentType: 'text' }, options: { config, noPhysicFilePath: true } });
      for (const message of result.messages) {
        findings.push({ detector: 'credential', type: 'credential', path: leaf.path, start: message.range[0], end: message.range[1], confidence: 1, action: 'audit' });
      }
    }
    found.set(sample, findings);
  }
  return { ...sampleLevel(found), ms: performance.now() - started };
}

const ours = await gatehouse();
const theirs = await secretlint();
const labels = credentialPart.reduce((sum, sample) => sum + sample.labels.length, 0);
console.log(`\nCredential part: ${credentialPart.length} payloads, ${labels} credentials (AWS, GitHub, GitLab, Slack, Stripe, GCP, OpenAI, Anthropic, JWT, PEM)`);
console.log(`${'tool'.padEnd(38)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'time ms'.padStart(10)}${'ms/payload'.padStart(12)}`);
for (const [name, outcome] of [['gatehouse (credentials profile)', ours], ['secretlint 13 (preset-recommend)', theirs]] as const) {
  console.log(
    `${name.padEnd(38)}${outcome.precision.toFixed(3).padStart(10)}${outcome.recall.toFixed(3).padStart(8)}${outcome.ms.toFixed(0).padStart(10)}${(outcome.ms / credentialPart.length).toFixed(3).padStart(12)}`,
  );
}
