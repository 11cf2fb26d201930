import type { Detector } from '../detector.ts';
import { looksLikeSecret } from './secret-value.ts';

const isStorageKey = (value: string) => /^[A-Za-z0-9+/]{86}==$/.test(value) && looksLikeSecret(value, { minEntropy: 4.5 });

/** A 64-byte key is 88 base64 characters ending in ==; Azure wording nearby or the member name decides. */
export const azureStorageKey: Detector = {
  id: 'azure_storage_key',
  type: 'credential',
  description: 'An Azure storage account key: 88 base64 characters ending in ==, after AccountKey or an Azure storage word, or in a member so named.',
  pattern: '(?i:accountkey|account_key|storage_?key|azure_storage_(?:account_)?key|primary_?key)["\']?\\s{0,3}[:=]\\s{0,3}["\']?(?P<value>[A-Za-z0-9+/]{86}==)',
  // The key words the pattern starts with.
  prefilter: '(?i:accountkey|account_key|storage_?key|azure_storage_(?:account_)?key|primary_?key)',
  validate: isStorageKey,
  confidence: 0.95,
  keyed: { keys: ['accountkey', 'storagekey', 'azurestoragekey', 'azurestorageaccountkey', 'storageaccountkey'], accepts: isStorageKey, confidence: 0.95 },
  yieldsTo: ['azure_connection_string'],
  positives: [
    'AZURE_STORAGE_KEY=q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C2v3B4n5M6q7W8e9R0t1Y2u3I4o5P6a7S8d9F0g1H2jw==',
    { json: { accountKey: 'Zq8Xw7Ve6Ur5Ts4Rq3Po2Nm1Lk0Ji9Hg8Fe7Dc6Ba5Zy4Xw3Vu2Ts1Rq0Po9Nm8Lk7Ji6Hg5Fe4Dc3Ba2Zy1Xw==' } },
  ],
  negatives: [
    { text: 'AccountKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==', reason: 'no entropy' },
    { text: 'blob q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C2v3B4n5M6q7W8e9R0t1Y2u3I4o5P6a7S8d9F0g1H2jw==', reason: 'no Azure wording: any 64-byte value in base64' },
  ],
};
