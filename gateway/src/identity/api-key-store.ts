import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../../events/src/index.ts';
import { apiKeyMatches, parseApiKey } from './api-key-format.ts';
import { apiKeyStatus, readApiKeyFile, type ApiKeyRecord } from './api-key-file.ts';
import { IDENTITY_LOG_CODES } from './identity-errors.ts';

export type ApiKeyVerification =
  | { ok: true; record: ApiKeyRecord }
  | { ok: false; reason: 'invalid_token' | 'expired_token' | 'revoked_key'; message: string };

export interface ApiKeyStore {
  verify(key: string): Promise<ApiKeyVerification>;
}

type Snapshot = { signature: string } & ({ keys: Map<string, ApiKeyRecord> } | { broken: string });

async function fileSignature(file: string): Promise<string> {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

const UNKNOWN = { ok: false, reason: 'invalid_token', message: 'invalid API key: it matches no key of this gateway' } as const;

/**
 * The gateway's view of the key file written by `gatehouse keys`. Every verification first checks
 * the file's identity (inode, size, mtime) and re-reads it when it changed, so a revocation applies
 * to the next request without a restart or a watcher. A file that cannot be parsed refuses every
 * API key until it is fixed: failing open could resurrect revoked keys.
 */
export function createApiKeyStore(options: { file: string; clock: Clock; logger: Logger }): ApiKeyStore {
  const { file, clock, logger } = options;
  let snapshot: Snapshot | undefined;
  let reloading: Promise<Snapshot> | undefined;

  async function load(signature: string): Promise<Snapshot> {
    try {
      const contents = await readApiKeyFile(file);
      logger.info({ file, keys: contents.keys.length }, 'API key file loaded');
      return { signature, keys: new Map(contents.keys.map((record) => [record.id, record])) };
    } catch (error) {
      logger.error({ code: IDENTITY_LOG_CODES.apiKeysFileInvalid, file, err: (error as Error).message }, 'API key file is invalid; every API key is refused until it is fixed');
      return { signature, broken: (error as Error).message };
    }
  }

  async function current(): Promise<Snapshot> {
    const signature = await fileSignature(file);
    if (snapshot?.signature === signature) return snapshot;
    reloading ??= load(signature).finally(() => {
      reloading = undefined;
    });
    snapshot = await reloading;
    return snapshot;
  }

  return {
    async verify(key) {
      const parsed = parseApiKey(key);
      if (!parsed) return { ok: false, reason: 'invalid_token', message: 'malformed API key: expected ghk_<id>_<secret> as printed by "gatehouse keys create"' };
      let loaded: Snapshot;
      try {
        loaded = await current();
      } catch (error) {
        logger.error({ code: IDENTITY_LOG_CODES.apiKeysFileInvalid, file, err: (error as Error).message }, 'cannot check the API key file');
        return { ok: false, reason: 'invalid_token', message: 'API keys cannot be checked right now: the gateway cannot read its key file' };
      }
      if ('broken' in loaded) return { ok: false, reason: 'invalid_token', message: 'API keys cannot be checked right now: the gateway\'s key file is invalid' };
      const record = loaded.keys.get(parsed.id);
      // The secret is checked before the key's state, so knowing an id alone reveals nothing.
      if (!record || !apiKeyMatches(key, record.sha256)) return UNKNOWN;
      const status = apiKeyStatus(record, clock.now());
      if (status === 'revoked') return { ok: false, reason: 'revoked_key', message: `API key ${record.id} was revoked at ${record.revoked_at}` };
      if (status === 'expired') return { ok: false, reason: 'expired_token', message: `API key ${record.id} expired at ${record.expires_at}` };
      return { ok: true, record };
    },
  };
}
