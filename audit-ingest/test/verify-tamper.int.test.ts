import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLeafHash, migrate, nextChainHash, verifierFromPem, verifyAuditTrail, type AuditEventRow, type VerifyProblem } from '../src/index.ts';
import { testSigner, writeSignedChain, type SignedChain } from './support/signed-chain.ts';
import { openTempStore, queryRows, type TempStore } from './support/temp-store.ts';

// Tamper directly in ClickHouse, as an administrator could, and see `verify` name each change.
describe('verify catches tampering with the stored audit trail', () => {
  const signer = testSigner();
  const verifier = verifierFromPem(signer.publicKeyPem, 'the test key');
  let store: TempStore;
  const directories: string[] = [];

  beforeAll(async () => {
    store = openTempStore();
    await migrate(store.connection);
  });
  afterAll(async () => {
    await store.dispose();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  async function freshChain(): Promise<SignedChain> {
    const chain = await writeSignedChain(store.connection, signer, { calls: 10, checkpointEvery: 10 });
    directories.push(chain.checkpointDirectory);
    return chain;
  }
  async function problemsOf(chain: SignedChain): Promise<VerifyProblem[]> {
    const report = await verifyAuditTrail({ connection: store.connection, verifier, checkpointDirectory: chain.checkpointDirectory });
    return report.problems.filter((problem) => problem.chain === `${chain.topic}/0`);
  }
  const mutate = (sql: string, params: Record<string, unknown> = {}) =>
    store.connection.command({ query: sql, query_params: params, clickhouse_settings: { mutations_sync: '2' } });

  it('reports OK for an untouched trail, with every row signed', async () => {
    const chain = await freshChain();

    const report = await verifyAuditTrail({ connection: store.connection, verifier, checkpointDirectory: chain.checkpointDirectory });

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.chains.find((summary) => summary.chain === `${chain.topic}/0`)).toEqual({
      chain: `${chain.topic}/0`,
      first_seq: 0,
      last_seq: 29,
      rows: 30,
      checkpoints: 3,
      unsigned_rows: 0,
    });
  });

  it('names a row whose content was altered', async () => {
    const chain = await freshChain();

    await mutate("ALTER TABLE audit_events UPDATE decision = 'allow' WHERE event_id = {id:UUID}", { id: chain.ids[7] });

    expect(await problemsOf(chain)).toEqual([
      expect.objectContaining({ kind: 'changed', seq: 7, event_id: chain.ids[7], detail: 'its content does not match its leaf hash' }),
      expect.objectContaining({ kind: 'checkpoint_mismatch', seq: 0, last_seq: 9 }),
    ]);
  });

  it('names a deleted row', async () => {
    const chain = await freshChain();

    await mutate('ALTER TABLE audit_events DELETE WHERE event_id = {id:UUID}', { id: chain.ids[13] });

    expect(await problemsOf(chain)).toEqual([
      expect.objectContaining({ kind: 'missing', seq: 13, detail: 'no row at this position of the chain' }),
      expect.objectContaining({ kind: 'checkpoint_mismatch', seq: 10, last_seq: 19 }),
    ]);
  });

  it('names inserted rows: one claiming a taken position, one outside the chain', async () => {
    const chain = await freshChain();
    const [original] = await queryRows<Record<string, unknown>>(store.connection, 'SELECT * FROM audit_events WHERE event_id = {id:UUID}', { id: chain.ids[4] });
    const forgedId = crypto.randomUUID();
    const unchainedId = crypto.randomUUID();

    await store.connection.insert({
      table: 'audit_events',
      values: [
        { ...original, event_id: forgedId, ingested_at: undefined },
        { ...original, event_id: unchainedId, seq: 0, leaf_hash: '', chain_hash: '', ingested_at: undefined },
      ],
      format: 'JSONEachRow',
    });

    const problems = await problemsOf(chain);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'inserted', seq: 4, event_id: forgedId }),
        expect.objectContaining({ kind: 'inserted', event_id: unchainedId, detail: 'the row has no place in any hash chain' }),
      ]),
    );
    expect(problems.filter((problem) => problem.kind !== 'inserted')).toEqual([]);
  });

  it('names rows whose order was changed', async () => {
    const chain = await freshChain();

    await mutate('ALTER TABLE audit_events UPDATE seq = if(seq = 20, 22, 20) WHERE kafka_topic = {topic:String} AND seq IN (20, 22)', { topic: chain.topic });

    expect(await problemsOf(chain)).toEqual([
      expect.objectContaining({ kind: 'reordered', seq: 20, event_id: chain.ids[22], detail: 'stored at seq 20, but the chain puts it at seq 22' }),
      expect.objectContaining({ kind: 'reordered', seq: 22, event_id: chain.ids[20], detail: 'stored at seq 22, but the chain puts it at seq 20' }),
    ]);
  });

  it('catches a rewrite that recomputed every hash after it, by the signed checkpoint', async () => {
    const chain = await freshChain();
    const rows = await queryRows<AuditEventRow & { seq: string; chain_hash: string }>(
      store.connection,
      'SELECT * FROM audit_events WHERE kafka_topic = {topic:String} ORDER BY seq',
      { topic: chain.topic },
      { output_format_json_quote_64bit_integers: 1 },
    );
    let previous = rows[24]!.chain_hash;
    await mutate("ALTER TABLE audit_events UPDATE principal_email = 'someone-else@example.test' WHERE event_id = {id:UUID}", { id: chain.ids[25] });
    for (const row of rows.slice(25)) {
      const leaf = eventLeafHash(row.event_id === chain.ids[25] ? { ...row, principal_email: 'someone-else@example.test' } : row);
      previous = nextChainHash(previous, leaf);
      await mutate('ALTER TABLE audit_events UPDATE leaf_hash = {leaf:String}, chain_hash = {chain:String} WHERE event_id = {id:UUID}', { leaf, chain: previous, id: row.event_id });
    }

    expect(await problemsOf(chain)).toEqual([expect.objectContaining({ kind: 'checkpoint_mismatch', seq: 20, last_seq: 29 })]);
  });

  it('names a checkpoint whose signature was forged, and one deleted from ClickHouse', async () => {
    const chain = await freshChain();

    await mutate("ALTER TABLE audit_checkpoints UPDATE merkle_root = repeat('0', 64) WHERE kafka_topic = {topic:String} AND first_seq = 0", { topic: chain.topic });
    await mutate('ALTER TABLE audit_checkpoints DELETE WHERE kafka_topic = {topic:String} AND first_seq = 10', { topic: chain.topic });

    const problems = await problemsOf(chain);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'bad_signature', seq: 0, last_seq: 9, detail: 'checkpoint of seq 0..9: the signature does not verify' }),
        expect.objectContaining({ kind: 'checkpoint_missing', seq: 10, last_seq: 19 }),
      ]),
    );
    expect(problems.every((problem) => ['bad_signature', 'checkpoint_mismatch', 'checkpoint_missing'].includes(problem.kind))).toBe(true);
  });

  it('refuses checkpoints signed by a key it was not given', async () => {
    const chain = await freshChain();
    const stranger = verifierFromPem(testSigner().publicKeyPem, 'another key');

    const report = await verifyAuditTrail({ connection: store.connection, verifier: stranger });

    expect(report.ok).toBe(false);
    expect(report.problems.filter((problem) => problem.chain === `${chain.topic}/0`).map((problem) => problem.kind)).toEqual(['bad_signature', 'bad_signature', 'bad_signature']);
  });
});
