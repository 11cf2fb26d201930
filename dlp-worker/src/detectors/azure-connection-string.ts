import type { Detector } from '../detector.ts';
import { looksLikeSecret } from './secret-value.ts';

/** The whole connection string is the secret: it carries the account name and key together. */
export const azureConnectionString: Detector = {
  id: 'azure_connection_string',
  type: 'credential',
  description: 'An Azure connection string with a key: storage (DefaultEndpointsProtocol…AccountKey=…) or Service Bus / Event Hubs (Endpoint=sb://…SharedAccessKey=…).',
  pattern:
    '(?P<value>DefaultEndpointsProtocol=https?;AccountName=[A-Za-z0-9]{3,24};AccountKey=[A-Za-z0-9+/]{86}==(?:;[A-Za-z]+=[^;\\s"\'\\x00]+)*' +
    '|Endpoint=sb://[A-Za-z0-9.-]+/?;SharedAccessKeyName=[^;\\s"\'\\x00]+;SharedAccessKey=[A-Za-z0-9+/]{43}=(?:;EntityPath=[^;\\s"\'\\x00]+)?)',
  prefilter: 'DefaultEndpointsProtocol=https?;AccountName=|Endpoint=sb://',
  validate: (value) => looksLikeSecret(value.slice(value.lastIndexOf('Key=') + 4).split(';')[0]!, { minEntropy: 4 }),
  confidence: 0.98,
  positives: [
    'DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C2v3B4n5M6q7W8e9R0t1Y2u3I4o5P6a7S8d9F0g1H2jw==;EndpointSuffix=core.windows.net',
    'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Xy7Zq9Wm2Ln4Kp6Jr8Hs0Gt1Fu3Ev5Dw7Cx9By1Az3Q=',
  ],
  negatives: [
    { text: 'DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;UseDevelopmentStorage=true', reason: 'no key' },
    { text: 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=<your-key>', reason: 'placeholder key' },
  ],
};
