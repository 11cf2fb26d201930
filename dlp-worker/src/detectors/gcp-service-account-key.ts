import type { Detector } from '../detector.ts';
import { isRepetitive } from '../validators/false-positive-shapes.ts';

const isKeyId = (value: string) => /^[0-9a-f]{40}$/.test(value) && !isRepetitive(value);

/**
 * A service-account key file's `private_key_id` identifies the key; its `private_key` (PEM) is
 * found by pem_private_key. Forty hex digits alone are a git commit id, so the member name decides.
 */
export const gcpServiceAccountKey: Detector = {
  id: 'gcp_service_account_key',
  type: 'credential',
  description: 'A Google Cloud service-account key (the private_key_id of a key file) in text or in a member so named.',
  pattern: 'private_key_id\\\\?"?\\s{0,3}[:=]\\s{0,3}\\\\?"?(?P<value>[0-9a-f]{40})(?:$|[^0-9a-f])',
  prefilter: 'private_key_id',
  validate: isKeyId,
  confidence: 0.95,
  keyed: { keys: ['privatekeyid'], accepts: isKeyId, confidence: 0.95 },
  positives: [
    '{"type": "service_account", "project_id": "demo", "private_key_id": "3f2a9c1e7b5d4f6a8c0e2b4d6f8a1c3e5b7d9f0a"}',
    { json: { type: 'service_account', private_key_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } },
  ],
  negatives: [
    { text: 'commit 3f2a9c1e7b5d4f6a8c0e2b4d6f8a1c3e5b7d9f0a', reason: 'a git commit id' },
    { text: '"private_key_id": "0000000000000000000000000000000000000000"', reason: 'placeholder zeros' },
  ],
};
