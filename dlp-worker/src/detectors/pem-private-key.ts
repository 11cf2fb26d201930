import type { Detector } from '../detector.ts';

/**
 * Spans the whole armored block; when the END line is missing (a truncated paste) it spans to the
 * end of the text, because the base64 body is the secret, not the header.
 */
export const pemPrivateKey: Detector = {
  id: 'pem_private_key',
  type: 'credential',
  description:
    'A PEM-armored private key (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP) from its BEGIN line to its END line.',
  pattern:
    '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----' +
    '(?:[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\\s\\S]*)',
  prefilter: '-----BEGIN ',
  confidence: 0.99,
  positives: [
    '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKfakefakefakefakeFAKE0123456789abcdef\n-----END RSA PRIVATE KEY-----',
    'key: -----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCfake\\n-----END PRIVATE KEY-----\\n',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAfake\n-----END OPENSSH PRIVATE KEY-----',
    '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIfakefake',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wfake\n-----END ENCRYPTED PRIVATE KEY-----',
    '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGfake\n-----END PGP PRIVATE KEY BLOCK-----',
  ],
  negatives: [
    { text: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfake\n-----END PUBLIC KEY-----', reason: 'public key' },
    { text: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfake\n-----END CERTIFICATE-----', reason: 'certificate' },
    { text: 'Rotate the private key every 90 days.', reason: 'prose about keys, no armor' },
    { text: '-----BEGIN private key-----', reason: 'armor labels are upper case' },
  ],
};
