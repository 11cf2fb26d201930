import { Faker, en } from '@faker-js/faker';
import * as v from './values.ts';

/** Where a labeled value sits: the JSON path of its string and its offsets there. */
export interface Label {
  detector: string;
  path: string;
  start: number;
  end: number;
}

export interface CorpusSample {
  /** What the payload imitates: a database row set, a ticket, an email, logs, a config file, code. */
  kind: string;
  payload: unknown;
  /** Every sensitive value the payload holds; a sample without labels is a negative. */
  labels: Label[];
}

/** The labeled value kinds: detector id, generator, and the words written before it in prose. */
const SENSITIVE: ReadonlyArray<{ detector: string; make: (f: Faker) => string; lead: readonly string[] }> = [
  { detector: 'payment_card', make: v.card, lead: ['card', 'paid with', 'card on file:', 'PAN'] },
  { detector: 'iban', make: v.iban, lead: ['IBAN', 'wire to', 'account IBAN:'] },
  { detector: 'us_ssn', make: v.ssn, lead: ['SSN', 'social security number', 'ssn:'] },
  { detector: 'email', make: v.email, lead: ['email', 'contact', 'reply to'] },
  { detector: 'phone', make: v.phone, lead: ['phone', 'call', 'mobile:'] },
  { detector: 'ipv4', make: v.ipv4, lead: ['client ip', 'from host', 'remote_addr='] },
  { detector: 'ipv6', make: v.ipv6, lead: ['client', 'ip6', 'peer'] },
  { detector: 'us_bank_routing', make: v.routing, lead: ['routing number', 'ABA', 'routing:'] },
  { detector: 'uk_nino', make: v.nino, lead: ['NINO', 'national insurance number', 'NI number'] },
  { detector: 'aws_access_key_id', make: v.awsKeyId, lead: ['AWS_ACCESS_KEY_ID=', 'access key', 'key id'] },
  { detector: 'github_token', make: v.githubToken, lead: ['GITHUB_TOKEN=', 'token', 'auth'] },
  { detector: 'gitlab_token', make: v.gitlabToken, lead: ['GITLAB_TOKEN=', 'private token'] },
  { detector: 'slack_token', make: v.slackToken, lead: ['SLACK_BOT_TOKEN=', 'bot token'] },
  { detector: 'stripe_key', make: v.stripeKey, lead: ['STRIPE_SECRET_KEY=', 'stripe key'] },
  { detector: 'gcp_api_key', make: v.gcpApiKey, lead: ['key=', 'GOOGLE_API_KEY='] },
  { detector: 'openai_api_key', make: v.openaiKey, lead: ['OPENAI_API_KEY=', 'openai key'] },
  { detector: 'anthropic_api_key', make: v.anthropicKey, lead: ['ANTHROPIC_API_KEY=', 'key'] },
  { detector: 'jwt', make: v.jwt, lead: ['Authorization: Bearer', 'id_token'] },
  { detector: 'pem_private_key', make: v.pemKey, lead: ['key:', 'private key follows'] },
];

/** Near misses and look-alikes: in the corpus, unlabeled. */
const TWINS: ReadonlyArray<(f: Faker) => string> = [v.cardTwin, v.ibanTwin, v.ssnTwin, v.routingTwin, ...v.lookAlikes];

/** The credential part of the corpus, for the comparison with secretlint. */
export const CREDENTIAL_DETECTORS: ReadonlySet<string> = new Set([
  'aws_access_key_id', 'github_token', 'gitlab_token', 'slack_token', 'stripe_key', 'gcp_api_key', 'openai_api_key', 'anthropic_api_key', 'jwt', 'pem_private_key',
]);

interface Leaf {
  text: string;
  labels: Array<Omit<Label, 'path'>>;
}

/** Builds a string of prose and values, remembering where each sensitive value went. */
function prose(parts: ReadonlyArray<string | { detector: string; value: string }>): Leaf {
  let text = '';
  const labels: Leaf['labels'] = [];
  for (const part of parts) {
    if (text !== '') text += ' ';
    if (typeof part === 'string') text += part;
    else {
      labels.push({ detector: part.detector, start: text.length, end: text.length + part.value.length });
      text += part.value;
    }
  }
  return { text, labels };
}

export function generateCorpus(options: { seed: number; samples: number }): CorpusSample[] {
  const f = new Faker({ locale: [en], seed: options.seed });
  const samples: CorpusSample[] = [];
  for (let i = 0; i < options.samples; i++) samples.push(sample(f, f.number.float() < 0.5));
  return samples;
}

function sensitiveParts(f: Faker): Array<string | { detector: string; value: string }> {
  const parts: Array<string | { detector: string; value: string }> = [];
  for (let n = f.number.int({ min: 1, max: 3 }); n > 0; n--) {
    const kind = f.helpers.arrayElement(SENSITIVE);
    parts.push(f.lorem.words({ min: 1, max: 5 }), f.helpers.arrayElement(kind.lead), { detector: kind.detector, value: kind.make(f) });
  }
  return parts;
}

function negativeParts(f: Faker): string[] {
  const parts: string[] = [];
  for (let n = f.number.int({ min: 1, max: 4 }); n > 0; n--) parts.push(f.lorem.words({ min: 1, max: 6 }), f.helpers.arrayElement(TWINS)(f));
  return parts;
}

function sample(f: Faker, positive: boolean): CorpusSample {
  const body = prose([f.lorem.sentence(), ...(positive ? sensitiveParts(f) : negativeParts(f)), f.lorem.sentence()]);
  const kind = f.helpers.arrayElement(['rows', 'ticket', 'email', 'logs', 'config', 'code', 'mcp_result'] as const);
  const id = f.string.uuid();
  const at = (path: string, leaf: Leaf) => leaf.labels.map((label) => ({ ...label, path }));
  switch (kind) {
    case 'rows':
      return {
        kind,
        payload: { rows: [{ id, name: f.person.fullName(), created_at: f.date.recent().toISOString(), note: body.text, status: 'active', version: f.system.semver() }] },
        labels: at('$.rows[0].note', body),
      };
    case 'ticket':
      return { kind, payload: { ticket: { id: `TCK-${f.string.numeric(6)}`, subject: f.lorem.sentence(), description: body.text, tags: [f.lorem.word()] } }, labels: at('$.ticket.description', body) };
    case 'email':
      return { kind, payload: { message_id: `<${id}@mail.internal>`, subject: f.lorem.sentence(), body: body.text, sent: f.date.recent().toISOString() }, labels: at('$.body', body) };
    case 'logs': {
      const line = `${f.date.recent().toISOString()} INFO request_id=${id} ${body.text}`;
      const offset = line.length - body.text.length;
      return { kind, payload: { lines: [`${f.date.recent().toISOString()} DEBUG started worker ${f.string.numeric(4)}`, line] }, labels: body.labels.map((l) => ({ ...l, start: l.start + offset, end: l.end + offset, path: '$.lines[1]' })) };
    }
    case 'config': {
      const content = `# ${f.lorem.sentence()}\nAPP_ENV=production\nBUILD=${f.git.commitSha()}\nNOTES="${body.text}"\n`;
      const offset = content.indexOf(body.text);
      return { kind, payload: { path: '.env', content }, labels: body.labels.map((l) => ({ ...l, start: l.start + offset, end: l.end + offset, path: '$.content' })) };
    }
    case 'code': {
      const content = `// ${f.lorem.sentence()}\nconst config = { id: "${id}", note: \`${body.text}\` };\n`;
      const offset = content.indexOf(body.text);
      return { kind, payload: { file: 'src/config.ts', language: 'typescript', content }, labels: body.labels.map((l) => ({ ...l, start: l.start + offset, end: l.end + offset, path: '$.content' })) };
    }
    case 'mcp_result':
      return { kind, payload: { content: [{ type: 'text', text: body.text }], isError: false, _meta: { request: id } }, labels: at('$.content[0].text', body) };
  }
}
