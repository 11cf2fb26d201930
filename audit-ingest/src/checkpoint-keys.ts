import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditIngestError } from './errors.ts';

/** Signs checkpoints with an Ed25519 private key. */
export interface CheckpointSigner {
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER): names the key in each checkpoint. */
  keyId: string;
  /** The public key as SPKI PEM: what a verifier needs, safe to publish. */
  publicKeyPem: string;
  /** Ed25519 signature of the UTF-8 message, base64. */
  sign(message: string): string;
}

/** Checks checkpoint signatures with an Ed25519 public key. */
export interface CheckpointVerifier {
  keyId: string;
  verify(message: string, signature: string): boolean;
}

/** A signer from a PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`), e.g. read from an environment variable. */
export function signerFromPem(pem: string, source: string): CheckpointSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new AuditIngestError('GH_ERR_AUDIT_SIGNING_KEY_INVALID', `the checkpoint signing key from ${source} is not a PEM private key`);
  }
  assertEd25519(key, source);
  const publicKey = createPublicKey(key);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message), key).toString('base64'),
  };
}

/**
 * The signer of a key file, creating the file with a new key (mode 0600) when it does not exist:
 * the embedded default signs from its first start without setup. Production passes its own key.
 */
export function signerFromKeyFile(path: string, createIfMissing: boolean): CheckpointSigner {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !createIfMissing) {
      throw new AuditIngestError('GH_ERR_AUDIT_SIGNING_KEY_MISSING', `cannot read the checkpoint signing key ${path}: ${(error as Error).message}`);
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    mkdirSync(dirname(path), { recursive: true });
    // 'wx': two processes starting together must not overwrite each other's fresh key.
    try {
      writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      pem = readFileSync(path, 'utf8');
    }
  }
  return signerFromPem(pem, path);
}

/** A verifier from a PEM public key (SPKI), or from a private key, whose public half is used. */
export function verifierFromPem(pem: string, source: string): CheckpointVerifier {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AuditIngestError('GH_ERR_AUDIT_SIGNING_KEY_INVALID', `the checkpoint verification key from ${source} is not a PEM key`);
  }
  assertEd25519(key, source);
  return {
    keyId: keyIdOf(key),
    verify(message, signature) {
      try {
        return verify(null, Buffer.from(message), key, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

function assertEd25519(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditIngestError('GH_ERR_AUDIT_SIGNING_KEY_INVALID', `the checkpoint key from ${source} is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
  }
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}
