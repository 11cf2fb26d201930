import { urlPasswordDetector } from './url-password.ts';

export const urlBasicAuth = urlPasswordDetector({
  id: 'url_basic_auth',
  description: 'The password in an http(s), ftp, ssh or git URL (https://user:password@host/…).',
  schemes: ['https?', 's?ftp', 'ssh', 'git', 'smtps?', 'imaps?', 'ldaps?'],
  positives: ['clone https://deploy:Vx9Lm2Qp7Rz@git.internal/repo.git', 'ftp://backup:K7pQ2mX9zL@files.example.net/'],
  negatives: [
    { text: 'https://user:password@example.com/', reason: 'documentation example' },
    { text: 'https://example.com/path?a=b:c@d', reason: 'no user-info: the colon is in the path' },
  ],
});
