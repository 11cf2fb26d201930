import type { Detector } from '../detector.ts';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** Version strings share the shape; "v" before or a version word nearby lowers confidence below the default minimum. */
export const ipv4: Detector = {
  id: 'ipv4',
  type: 'pii',
  description: 'An IPv4 address in dotted decimal (each octet 0-255), except the unspecified and broadcast addresses.',
  pattern: `(?:^|[^0-9A-Za-z.])(?P<value>${OCTET}(?:\\.${OCTET}){3})(?:$|[^0-9.]|\\.$|\\.[^0-9])`,
  // Four dotted groups of at most three digits, each octet loosened to that.
  prefilter: '(?:^|[^0-9A-Za-z.])[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]',
  validate: (value) => value !== '0.0.0.0' && value !== '255.255.255.255',
  confidence: 0.75,
  context: {
    words: ['ip', 'ipv4', 'ip address', 'addr', 'address', 'host', 'client', 'remote', 'forwarded', 'source', 'server', 'peer'],
    confidence: 0.9,
    against: ['version', 'ver', 'release', 'build', 'oid'],
    againstConfidence: 0.3,
  },
  positives: ['client 203.0.113.42 connected', 'ip=192.168.1.10', 'from 10.0.0.1.', '{"remote_addr":"198.51.100.7"}'],
  negatives: [
    { text: 'version 1.2.3.4', reason: 'a four-part version number' },
    { text: 'v10.2.0.1', reason: 'a "v" version prefix' },
    { text: 'addr 256.1.1.1', reason: 'octet over 255' },
    { text: 'ip 0.0.0.0', reason: 'the unspecified address' },
    { text: 'oid 1.3.6.1.4.1', reason: 'an OID: more than four parts' },
  ],
};
