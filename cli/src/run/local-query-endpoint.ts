import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditStore } from './audit-ingest-role.ts';

/**
 * A chDB data directory admits one process at a time, so while `gatehouse start` runs, `gatehouse
 * audit query` asks it to run the query. The control file beside the store holds the URL and a
 * per-run secret; only a user who can read the data directory can query through it.
 */
export interface ControlFile {
  pid: number;
  url: string;
  secret: string;
}

const ControlFileSchema = z.object({ pid: z.number().int(), url: z.url(), secret: z.string().min(32) });
const QueryBodySchema = z.union([
  z.object({ sql: z.string().min(1).max(100_000) }).strict(),
  z.object({ name: z.string().min(1).max(100), params: z.record(z.string(), z.string()).default({}) }).strict(),
]);

export const controlFilePath = (chdbPath: string) => `${chdbPath}.control.json`;

export async function registerLocalQueryEndpoint(app: FastifyInstance, store: AuditStore): Promise<{ secret: string }> {
  const secret = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${secret}`);
  app.post('/local/audit/query', async (request, reply) => {
    const presented = Buffer.from(request.headers.authorization ?? '');
    const remote = request.socket.remoteAddress ?? '';
    const loopback = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
    if (!loopback || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return reply.status(403).send({ error: { code: 'GH_ERR_LOCAL_QUERY_FORBIDDEN', message: 'local audit queries need the secret from the control file, from loopback' } });
    }
    const body = QueryBodySchema.safeParse(request.body);
    if (!body.success) return reply.status(400).send({ error: { code: 'GH_ERR_LOCAL_QUERY_INVALID', message: 'expected JSON {"sql": "..."} or {"name": "...", "params": {...}}' } });
    try {
      return 'sql' in body.data ? await store.query(body.data.sql) : await store.runNamed(body.data.name, body.data.params);
    } catch (error) {
      return reply.status(400).send({ error: { code: 'GH_ERR_AUDIT_QUERY_FAILED', message: (error as Error).message } });
    }
  });
  return { secret };
}

export async function writeControlFile(chdbPath: string, control: ControlFile): Promise<void> {
  await writeFile(controlFilePath(chdbPath), JSON.stringify(control), { mode: 0o600 });
}

export async function removeControlFile(chdbPath: string): Promise<void> {
  await rm(controlFilePath(chdbPath), { force: true });
}

/** The running process that owns the store, if its control file is there and that process is alive. */
export async function readLiveControlFile(chdbPath: string): Promise<ControlFile | undefined> {
  let text: string;
  try {
    text = await readFile(controlFilePath(chdbPath), 'utf8');
  } catch {
    return undefined;
  }
  let parsed;
  try {
    parsed = ControlFileSchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  try {
    process.kill(parsed.data.pid, 0);
    return parsed.data;
  } catch {
    return undefined;
  }
}
