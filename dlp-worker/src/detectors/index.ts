import type { Detector } from '../detector.ts';
import { createDetectorRegistry } from '../detector-registry.ts';
import { anthropicApiKey } from './anthropic-api-key.ts';
import { awsAccessKeyId } from './aws-access-key-id.ts';
import { awsSecretAccessKey } from './aws-secret-access-key.ts';
import { azureConnectionString } from './azure-connection-string.ts';
import { azureStorageKey } from './azure-storage-key.ts';
import { bankAccountNumber } from './bank-account-number.ts';
import { bitcoinAddress } from './bitcoin-address.ts';
import { brazilCpf } from './brazil-cpf.ts';
import { brokerUrlPassword } from './broker-url-password.ts';
import { canadaSin } from './canada-sin.ts';
import { cardSecurityCode } from './card-security-code.ts';
import { databaseUrlPassword } from './database-url-password.ts';
import { dateOfBirth } from './date-of-birth.ts';
import { email } from './email.ts';
import { franceNir } from './france-nir.ts';
import { gcpApiKey } from './gcp-api-key.ts';
import { gcpServiceAccountKey } from './gcp-service-account-key.ts';
import { genericSecret } from './generic-secret.ts';
import { githubToken } from './github-token.ts';
import { gitlabToken } from './gitlab-token.ts';
import { googleOauthClientSecret } from './google-oauth-client-secret.ts';
import { httpAuthHeader } from './http-auth-header.ts';
import { iban } from './iban.ts';
import { icd10Code } from './icd10-code.ts';
import { indiaAadhaar } from './india-aadhaar.ts';
import { indiaPan } from './india-pan.ts';
import { ipv4 } from './ipv4.ts';
import { ipv6 } from './ipv6.ts';
import { jwt } from './jwt.ts';
import { macAddress } from './mac-address.ts';
import { medicalRecordNumber } from './medical-record-number.ts';
import { netherlandsBsn } from './netherlands-bsn.ts';
import { npmToken } from './npm-token.ts';
import { openaiApiKey } from './openai-api-key.ts';
import { passportNumber } from './passport-number.ts';
import { paymentCard } from './payment-card.ts';
import { pemPrivateKey } from './pem-private-key.ts';
import { phoneNational } from './phone-national.ts';
import { phone } from './phone.ts';
import { pypiToken } from './pypi-token.ts';
import { sendgridApiKey } from './sendgrid-api-key.ts';
import { slackToken } from './slack-token.ts';
import { slackWebhook } from './slack-webhook.ts';
import { spainDni } from './spain-dni.ts';
import { stripeKey } from './stripe-key.ts';
import { swiftBic } from './swift-bic.ts';
import { ukNhsNumber } from './uk-nhs-number.ts';
import { ukNino } from './uk-nino.ts';
import { urlBasicAuth } from './url-basic-auth.ts';
import { usBankRouting } from './us-bank-routing.ts';
import { usDeaNumber } from './us-dea-number.ts';
import { usEin } from './us-ein.ts';
import { usItin } from './us-itin.ts';
import { usMedicareMbi } from './us-medicare-mbi.ts';
import { usNpi } from './us-npi.ts';
import { usSsn } from './us-ssn.ts';

/** The built-in detectors, sorted by id. */
export const builtInDetectors: readonly Detector[] = createDetectorRegistry([
  anthropicApiKey,
  awsAccessKeyId,
  awsSecretAccessKey,
  azureConnectionString,
  azureStorageKey,
  bankAccountNumber,
  bitcoinAddress,
  brazilCpf,
  brokerUrlPassword,
  canadaSin,
  cardSecurityCode,
  databaseUrlPassword,
  dateOfBirth,
  email,
  franceNir,
  gcpApiKey,
  gcpServiceAccountKey,
  genericSecret,
  githubToken,
  gitlabToken,
  googleOauthClientSecret,
  httpAuthHeader,
  iban,
  icd10Code,
  indiaAadhaar,
  indiaPan,
  ipv4,
  ipv6,
  jwt,
  macAddress,
  medicalRecordNumber,
  netherlandsBsn,
  npmToken,
  openaiApiKey,
  passportNumber,
  paymentCard,
  pemPrivateKey,
  phoneNational,
  phone,
  pypiToken,
  sendgridApiKey,
  slackToken,
  slackWebhook,
  spainDni,
  stripeKey,
  swiftBic,
  ukNhsNumber,
  ukNino,
  urlBasicAuth,
  usBankRouting,
  usDeaNumber,
  usEin,
  usItin,
  usMedicareMbi,
  usNpi,
  usSsn,
]);

export const builtInDetectorIds: readonly string[] = builtInDetectors.map((detector) => detector.id);
