import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointStatement, signCheckpoint, signerFromKeyFile, signerFromPem, verifierFromPem } from '../src/index.ts';

describe('checkpoint signing keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const unsigned = {
    kafka_topic: 'gatehouse.audit',
    kafka_partition: 2,
    first_seq: '0',
    last_seq: '9',
    merkle_root: 'ab'.repeat(32),
    chain_head: 'cd'.repeat(32),
    first_time: '2026-03-14 09:00:00.000',
    last_time: '2026-03-14 09:05:00.000',
    created_at: '2026-03-14 09:05:01.000',
  };

  it('creates a key file once (mode 0600) and signs what its exported public key verifies', () => {
    const path = join(dir, 'nested', 'signing-key.pem');
    const signer = signerFromKeyFile(path, true);
    const again = signerFromKeyFile(path, true);

    expect(again.keyId).toBe(signer.keyId);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(signer.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const checkpoint = signCheckpoint(unsigned, signer);
    const verifier = verifierFromPem(signer.publicKeyPem, 'the exported key');
    const { signature, ...signed } = checkpoint;
    expect(verifier.keyId).toBe(signer.keyId);
    expect(verifier.verify(checkpointStatement(signed), signature)).toBe(true);
    expect(verifier.verify(checkpointStatement({ ...signed, last_seq: '10' }), signature)).toBe(false);
    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('signs the canonical statement of every field but the signature', () => {
    const signer = signerFromKeyFile(join(dir, 'other.pem'), true);
    expect(checkpointStatement({ ...unsigned, key_id: signer.keyId })).toBe(
      `{"chain_head":"${'cd'.repeat(32)}","created_at":"2026-03-14 09:05:01.000","first_seq":"0","first_time":"2026-03-14 09:00:00.000",` +
        `"format":"gatehouse.audit.checkpoint.v1","kafka_partition":2,"kafka_topic":"gatehouse.audit","key_id":"${signer.keyId}","last_seq":"9",` +
        `"last_time":"2026-03-14 09:05:00.000","merkle_root":"${'ab'.repeat(32)}"}`,
    );
  });

  it('refuses a missing key file it may not create, and keys that are not Ed25519', () => {
    expect(() => signerFromKeyFile(join(dir, 'absent.pem'), false)).toThrow(expect.objectContaining({ code: 'GH_ERR_AUDIT_SIGNING_KEY_MISSING' }));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signerFromPem(rsa, '$AUDIT_KEY')).toThrow(expect.objectContaining({ code: 'GH_ERR_AUDIT_SIGNING_KEY_INVALID', message: expect.stringContaining('is rsa, not Ed25519') }));
    expect(() => signerFromPem('not a key', '$AUDIT_KEY')).toThrow(expect.objectContaining({ code: 'GH_ERR_AUDIT_SIGNING_KEY_INVALID' }));
  });
});
