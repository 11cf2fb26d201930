import { createECDH, createPrivateKey } from 'node:crypto';
import type { Faker } from '@faker-js/faker';

/**
 * Values for the labeled corpus: real-shaped sensitive values (checksums valid) and their
 * near-miss twins and look-alikes, which must not be found. All random, from a seeded faker.
 */

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

const digits = (f: Faker, n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });
const alnum = (f: Faker, n: number) => f.string.alphanumeric({ length: n, casing: 'mixed' });

function cardDigits(f: Faker): string {
  const [prefix, length] = f.helpers.arrayElement([['4', 16], ['51', 16], ['55', 16], ['2221', 16], ['34', 15], ['37', 15], ['6011', 16], ['3528', 16], ['4', 13]] as const);
  const body = prefix + digits(f, length - prefix.length - 1);
  return body + luhnCheckDigit(body);
}

function formatCard(f: Faker, number: string): string {
  if (number.length === 15) return f.datatype.boolean() ? number : `${number.slice(0, 4)} ${number.slice(4, 10)} ${number.slice(10)}`;
  if (number.length !== 16) return number;
  const separator = f.helpers.arrayElement(['', ' ', '-']);
  return separator === '' ? number : number.match(/.{4}/g)!.join(separator);
}

export const card = (f: Faker) => formatCard(f, cardDigits(f));
/** Luhn fails: the last digit moved by one. */
export const cardTwin = (f: Faker) => {
  const number = cardDigits(f);
  return formatCard(f, number.slice(0, -1) + ((Number(number.at(-1)) + 1) % 10));
};

function ibanWithCheck(country: string, bban: string, check?: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const remainder = Number([...rearranged].reduce((r, d) => (r * 10n + BigInt(d)) % 97n, 0n));
  return `${country}${check ?? String(98 - remainder).padStart(2, '0')}${bban}`;
}
const bbanFor = (f: Faker) =>
  f.helpers.arrayElement([
    ['DE', digits(f, 18)],
    ['GB', `${f.string.alpha({ length: 4, casing: 'upper' })}${digits(f, 14)}`],
    ['FR', `${digits(f, 10)}${f.string.alphanumeric({ length: 11, casing: 'upper' })}${digits(f, 2)}`],
    ['NL', `${f.string.alpha({ length: 4, casing: 'upper' })}${digits(f, 10)}`],
    ['ES', digits(f, 20)],
  ] as const);
const spaced = (f: Faker, value: string) => (f.datatype.boolean() ? value : value.match(/.{1,4}/g)!.join(' '));
export const iban = (f: Faker) => {
  const [country, bban] = bbanFor(f);
  return spaced(f, ibanWithCheck(country, bban));
};
export const ibanTwin = (f: Faker) => {
  const [country, bban] = bbanFor(f);
  const valid = ibanWithCheck(country, bban);
  return spaced(f, ibanWithCheck(country, bban, String((Number(valid.slice(2, 4)) + 1) % 100).padStart(2, '0')));
};

export const ssn = (f: Faker) => {
  const area = f.helpers.arrayElement([f.number.int({ min: 1, max: 665 }), f.number.int({ min: 667, max: 899 })]);
  return `${String(area).padStart(3, '0')}-${String(f.number.int({ min: 1, max: 99 })).padStart(2, '0')}-${String(f.number.int({ min: 1, max: 9999 })).padStart(4, '0')}`;
};
/** Never-issued areas; a 9xx area only with a group outside the ITIN ranges, or it would be an ITIN. */
export const ssnTwin = (f: Faker) =>
  f.helpers.arrayElement([`000-${digits(f, 2)}-${digits(f, 4)}`, `666-${digits(f, 2)}-${digits(f, 4)}`, `9${digits(f, 2)}-${f.helpers.arrayElement(['0', '1', '2', '3', '4'])}${digits(f, 1)}-${digits(f, 4)}`]);

export const email = (f: Faker) => f.internet.email().toLowerCase();
export const phone = (f: Faker) =>
  f.helpers.arrayElement([
    `+1 ${f.number.int({ min: 201, max: 989 })}-555-${digits(f, 4)}`,
    `+44 20 7946 ${digits(f, 4)}`,
    `(${f.number.int({ min: 201, max: 989 })}) ${f.number.int({ min: 200, max: 999 })}-${digits(f, 4)}`,
    `+49 30 ${digits(f, 8)}`,
  ]);
export const ipv4 = (f: Faker) => `${f.number.int({ min: 11, max: 223 })}.${f.number.int({ min: 0, max: 255 })}.${f.number.int({ min: 0, max: 255 })}.${f.number.int({ min: 1, max: 254 })}`;
export const ipv6 = (f: Faker) => f.internet.ipv6();

function abaBody(f: Faker): string {
  return String(f.helpers.arrayElement([1, 2, 3, 5, 7, 9, 11, 12, 21, 22, 26, 31, 61, 63, 71])).padStart(2, '0') + digits(f, 6);
}
function abaCheck(body: string): string {
  const weights = [3, 7, 1, 3, 7, 1, 3, 7];
  const sum = [...body].reduce((total, d, i) => total + Number(d) * weights[i]!, 0);
  return String((10 - (sum % 10)) % 10);
}
export const routing = (f: Faker) => {
  const body = abaBody(f);
  return body + abaCheck(body);
};
export const routingTwin = (f: Faker) => {
  const body = abaBody(f);
  return body + ((Number(abaCheck(body)) + 3) % 10);
};

export const nino = (f: Faker) => {
  const first = f.helpers.arrayElement([...'ABCEHJKLMPRSTWXY']);
  const second = f.helpers.arrayElement([...'ACEHJLMPRSTWXYZ']);
  return `${first}${second}${digits(f, 6)}${f.helpers.arrayElement([...'ABCD'])}`;
};

const base32 = (f: Faker, n: number) => f.string.fromCharacters('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', n);
export const awsKeyId = (f: Faker) => `${f.helpers.arrayElement(['AKIA', 'ASIA'])}${base32(f, 16)}`;
export const githubToken = (f: Faker) => `${f.helpers.arrayElement(['ghp', 'gho', 'ghs'])}_${alnum(f, 36)}`;
export const slackToken = (f: Faker) => `xoxb-${digits(f, 12)}-${digits(f, 13)}-${alnum(f, 24)}`;
export const stripeKey = (f: Faker) => `${f.helpers.arrayElement(['sk_live_', 'rk_live_', 'sk_test_'])}${alnum(f, 32)}`;
export const gcpApiKey = (f: Faker) => `AIza${f.string.fromCharacters('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 35)}`;
/** Project keys as issued: sk-proj-, 74 characters, the T3BlbkFJ marker, 74 characters. */
export const openaiKey = (f: Faker) => `sk-proj-${alnum(f, 74)}T3BlbkFJ${alnum(f, 74)}`;
/** As issued: sk-ant-api03-, 93 URL-safe base64 characters, AA (108 in all). */
export const anthropicKey = (f: Faker) => `sk-ant-api03-${alnum(f, 60)}-${alnum(f, 16)}_${alnum(f, 15)}AA`;
export const gitlabToken = (f: Faker) => `glpat-${alnum(f, 20)}`;
export const jwt = (f: Faker) => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: f.string.uuid(), name: f.person.fullName(), iat: f.number.int({ min: 1.6e9, max: 1.8e9 }) })}.${alnum(f, 43)}`;
};
/** A P-256 private key (PKCS#8 PEM) made from 32 seeded bytes, so the corpus is the same on every run. */
export const pemKey = (f: Faker) => {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 + f.number.int(126) : f.number.int(255)))));
  const point = ecdh.getPublicKey();
  const jwk = { kty: 'EC', crv: 'P-256', d: ecdh.getPrivateKey().toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  return createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }).toString().trim();
};

export const password = (f: Faker) => `${alnum(f, 10)}${f.helpers.arrayElement(['!', '#', '%', '9'])}${alnum(f, 3)}`;

/** Look-alikes that must not be found: identifiers, digests, blobs, versions, times, placeholders. */
export const lookAlikes: ReadonlyArray<(f: Faker) => string> = [
  (f) => f.string.uuid(),
  (f) => f.git.commitSha(),
  (f) => f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' }),
  (f) => `sha512-${Buffer.from(f.string.alphanumeric(64)).toString('base64')}`,
  (f) => Buffer.from(Array.from({ length: 48 }, () => f.number.int(255))).toString('base64'),
  (f) => f.system.semver(),
  (f) => `v${f.system.semver()}.${f.number.int(99)}`,
  (f) => `ORD-${f.date.past().getFullYear()}-${digits(f, 6)}`,
  (f) => digits(f, 10),
  (f) => String(f.date.recent().getTime()),
  (f) => f.date.recent().toISOString(),
  (f) => f.commerce.price({ symbol: '$' }),
  (f) => f.helpers.arrayElement(['AKIAIOSFODNN7EXAMPLE', '<YOUR_API_KEY>', '${GITHUB_TOKEN}', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '{{ secrets.DB_PASSWORD }}', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx']),
  (f) => `${f.location.zipCode('#####')}`,
  (f) => `+${digits(f, 3)}`,
  (f) => `${f.number.int({ min: 1, max: 12 })}/${f.number.int({ min: 24, max: 31 })}`,
];
