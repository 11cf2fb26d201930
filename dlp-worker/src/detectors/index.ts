import type { Detector } from '../detector.ts';
import { awsAccessKeyId } from './aws-access-key-id.ts';
import { email } from './email.ts';
import { paymentCard } from './payment-card.ts';
import { pemPrivateKey } from './pem-private-key.ts';
import { phone } from './phone.ts';
import { usSsn } from './us-ssn.ts';
import { createDetectorRegistry } from '../detector-registry.ts';

/** The built-in detectors, sorted by id. */
export const builtInDetectors: readonly Detector[] = createDetectorRegistry([
  awsAccessKeyId,
  email,
  paymentCard,
  pemPrivateKey,
  phone,
  usSsn,
]);

export const builtInDetectorIds: readonly string[] = builtInDetectors.map((detector) => detector.id);
