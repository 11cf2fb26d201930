import { prefixedToken } from './simple-tokens.ts';

export const pypiToken = prefixedToken({
  id: 'pypi_token',
  description: 'A PyPI upload token (pypi-AgEIcHlwaS5vcmc… macaroon).',
  prefilter: 'pypi-AgEIcHlwaS5vcmc',
  token: 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}',
  positives: ['password = pypi-AgEIcHlwaS5vcmcCJDY0Zjk3ZmUxLWI2OTMtNGVhMy1iMzE2LTFmNDkyNmM0MzFhMQACKlsz'],
  negatives: [{ text: 'pypi-AgEIcHlwaS5vcmc', reason: 'the prefix alone' }],
});
