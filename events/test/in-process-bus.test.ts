import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consumedEvents, createEvent, createInProcessBus, decodeEvent, type Clock, type DeliveredEvent, type Event } from '../src/index.ts';

const clock: Clock = { now: () => Date.parse('2026-03-01T12:00:00.000Z') };

function event(trace: string): Event {
  return createEvent(
    'access.denied',
    { trace_id: trace, gateway: 'gw-test', principal: { subject: 'alice', email: 'alice@example.com', groups: ['eng'] } },
    { reason: 'unknown_tool', detail: trace },
    clock,
  );
}

function uniqueTopic(): string {
  return `topic-${randomUUID()}`;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves true if `promise` settles within `ms`, false otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const details = (batch: DeliveredEvent[]) => batch.map((delivered) => (delivered.event.type === 'access.denied' ? delivered.event.body.detail : '?'));

describe('in-process bus', () => {
  it('resolves publish only after every subscribed group has processed the event', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const releaseSlow = deferred();
    const fastSeen: string[] = [];
    const slowSeen: string[] = [];
    await bus.subscribe({ topic, group: 'fast' }, async (batch) => void fastSeen.push(...details(batch)));
    await bus.subscribe({ topic, group: 'slow' }, async (batch) => {
      await releaseSlow.promise;
      slowSeen.push(...details(batch));
    });

    const published = bus.publish(topic, event('e1'));

    expect(await settlesWithin(published, 50)).toBe(false);
    expect(fastSeen).toEqual(['e1']);
    releaseSlow.resolve();
    await published;
    expect(slowSeen).toEqual(['e1']);
    await bus.close();
  });

  it('resolves publish at once on a topic nobody subscribes to', async () => {
    const bus = createInProcessBus();
    await bus.publish(uniqueTopic(), event('lonely'));
    await bus.close();
  });

  it('gives every event to each of two groups, in order, with offsets', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const a: DeliveredEvent[] = [];
    const b: DeliveredEvent[] = [];
    await bus.subscribe({ topic, group: 'a' }, async (batch) => void a.push(...batch));
    await bus.subscribe({ topic, group: 'b' }, async (batch) => void b.push(...batch));

    for (const name of ['e1', 'e2', 'e3']) await bus.publish(topic, event(name));

    expect(details(a)).toEqual(['e1', 'e2', 'e3']);
    expect(details(b)).toEqual(['e1', 'e2', 'e3']);
    expect(a.map((delivered) => delivered.offset)).toEqual(['0', '1', '2']);
    expect(a.every((delivered) => delivered.partition === 0)).toBe(true);
    await bus.close();
  });

  it('shares a group between its members: each event is processed once per group', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const byMember: Record<string, string[]> = { one: [], two: [] };
    await bus.subscribe({ topic, group: 'workers' }, async (batch) => void byMember.one!.push(...details(batch)));
    await bus.subscribe({ topic, group: 'workers' }, async (batch) => void byMember.two!.push(...details(batch)));

    const names = Array.from({ length: 6 }, (_, i) => `e${i}`);
    for (const name of names) await bus.publish(topic, event(name));

    expect([...byMember.one!, ...byMember.two!].sort()).toEqual(names);
    expect(byMember.one!.length).toBeGreaterThan(0);
    expect(byMember.two!.length).toBeGreaterThan(0);
    await bus.close();
  });

  it('redelivers a batch whose handler threw, losing and reordering nothing', async () => {
    const errors: Array<{ topic: string; group: string; message: string }> = [];
    const bus = createInProcessBus({
      retryDelayMs: 10,
      onHandlerError: (error, topic, group) => errors.push({ topic, group, message: (error as Error).message }),
    });
    const topic = uniqueTopic();
    const attempts: string[][] = [];
    const committed: string[] = [];
    let failuresLeft = 2;
    await bus.subscribe({ topic, group: 'flaky' }, async (batch) => {
      attempts.push(details(batch));
      if (failuresLeft-- > 0) throw new Error('store unavailable');
      committed.push(...details(batch));
    });

    await bus.publish(topic, event('e1'));
    await bus.publish(topic, event('e2'));

    expect(attempts[0]).toEqual(['e1']);
    expect(attempts[1]).toEqual(['e1']);
    expect(committed).toEqual(['e1', 'e2']);
    expect(errors).toEqual([
      { topic, group: 'flaky', message: 'store unavailable' },
      { topic, group: 'flaky', message: 'store unavailable' },
    ]);
    await bus.close();
  });

  it('hands a retried batch to the other member of the group when one member keeps failing', async () => {
    const bus = createInProcessBus({ retryDelayMs: 5 });
    const topic = uniqueTopic();
    const healthy: string[] = [];
    await bus.subscribe({ topic, group: 'g' }, async () => {
      throw new Error('broken member');
    });
    await bus.subscribe({ topic, group: 'g' }, async (batch) => void healthy.push(...details(batch)));

    await bus.publish(topic, event('e1'));
    await bus.publish(topic, event('e2'));

    expect(healthy).toEqual(['e1', 'e2']);
    await bus.close();
  });

  it('starts a new group at the first retained event with fromBeginning, else after the last one', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    await bus.publish(topic, event('old1'));
    await bus.publish(topic, event('old2'));
    const fromStart: string[] = [];
    const fromNow: string[] = [];

    await bus.subscribe({ topic, group: 'replay', fromBeginning: true }, async (batch) => void fromStart.push(...details(batch)));
    await bus.subscribe({ topic, group: 'live' }, async (batch) => void fromNow.push(...details(batch)));
    await bus.publish(topic, event('new'));

    expect(fromStart).toEqual(['old1', 'old2', 'new']);
    expect(fromNow).toEqual(['new']);
    await bus.close();
  });

  it('delivers events published while a handler runs together as the next batch', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const batches: string[][] = [];
    const firstStarted = deferred();
    const releaseFirst = deferred();
    await bus.subscribe({ topic, group: 'g' }, async (batch) => {
      batches.push(details(batch));
      if (batches.length === 1) {
        firstStarted.resolve();
        await releaseFirst.promise;
      }
    });

    const first = bus.publish(topic, event('e1'));
    await firstStarted.promise;
    const later = ['e2', 'e3', 'e4'].map((name) => bus.publish(topic, event(name)));
    releaseFirst.resolve();
    await Promise.all([first, ...later]);

    expect(batches).toEqual([['e1'], ['e2', 'e3', 'e4']]);
    await bus.close();
  });

  it('never hands a handler more than maxBatchSize events', async () => {
    const bus = createInProcessBus({ maxBatchSize: 2 });
    const topic = uniqueTopic();
    for (const name of ['e1', 'e2', 'e3', 'e4', 'e5']) await bus.publish(topic, event(name));
    const batches: string[][] = [];
    const done = deferred();
    await bus.subscribe({ topic, group: 'g', fromBeginning: true }, async (batch) => {
      batches.push(details(batch));
      if (batches.flat().length === 5) done.resolve();
    });

    await done.promise;
    expect(batches).toEqual([['e1', 'e2'], ['e3', 'e4'], ['e5']]);
    await bus.close();
  });

  it('stops delivery when the last member stops and releases publishers waiting on that group', async () => {
    const bus = createInProcessBus({ retryDelayMs: 5 });
    const topic = uniqueTopic();
    let calls = 0;
    const subscription = await bus.subscribe({ topic, group: 'g' }, async () => {
      calls++;
      throw new Error('always fails');
    });

    const waiting = bus.publish(topic, event('stuck'));
    await waitUntil(() => calls >= 2, 'the failing handler was retried');
    expect(await settlesWithin(waiting, 20)).toBe(false);

    await subscription.stop();
    await waiting;
    const callsAtStop = calls;
    await bus.publish(topic, event('after-stop'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(callsAtStop);
    await bus.close();
  });

  it('keeps delivering to the remaining member when one member of a group stops', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const first: string[] = [];
    const second: string[] = [];
    const leaving = await bus.subscribe({ topic, group: 'g' }, async (batch) => void first.push(...details(batch)));
    await bus.subscribe({ topic, group: 'g' }, async (batch) => void second.push(...details(batch)));

    await leaving.stop();
    await bus.publish(topic, event('e1'));
    await bus.publish(topic, event('e2'));

    expect(first).toEqual([]);
    expect(second).toEqual(['e1', 'e2']);
    await bus.close();
  });

  it('resumes a group from its committed offset when it subscribes again after stopping', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const firstRun: string[] = [];
    const subscription = await bus.subscribe({ topic, group: 'g' }, async (batch) => void firstRun.push(...details(batch)));
    await bus.publish(topic, event('e1'));
    await subscription.stop();
    await bus.publish(topic, event('while-away'));

    const secondRun: string[] = [];
    const caughtUp = deferred();
    await bus.subscribe({ topic, group: 'g', fromBeginning: true }, async (batch) => {
      secondRun.push(...details(batch));
      caughtUp.resolve();
    });
    await caughtUp.promise;

    expect(firstRun).toEqual(['e1']);
    expect(secondRun).toEqual(['while-away']);
    await bus.close();
  });

  it('stop() waits for the batch in flight to finish', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const started = deferred();
    const release = deferred();
    let finished = false;
    const subscription = await bus.subscribe({ topic, group: 'g' }, async () => {
      started.resolve();
      await release.promise;
      finished = true;
    });
    void bus.publish(topic, event('e1'));
    await started.promise;

    const stopping = subscription.stop();
    expect(await settlesWithin(stopping, 20)).toBe(false);
    release.resolve();
    await stopping;
    expect(finished).toBe(true);
    await bus.close();
  });

  it('deleteTopic stops its groups, releases waiting publishers and forgets its events', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const release = deferred();
    const seen: string[] = [];
    await bus.subscribe({ topic, group: 'g' }, async (batch) => {
      seen.push(...details(batch));
      await release.promise;
    });
    const waiting = bus.publish(topic, event('e1'));
    await waitUntil(() => seen.length === 1, 'the handler received e1');

    await bus.deleteTopic(topic);
    await waiting;
    release.resolve();
    await bus.publish(topic, event('e2'));
    const replay: string[] = [];
    await bus.subscribe({ topic, group: 'replay', fromBeginning: true }, async (batch) => void replay.push(...details(batch)));
    await bus.publish(topic, event('e3'));

    expect(seen).toEqual(['e1']);
    expect(replay).toEqual(['e2', 'e3']);
    await bus.deleteTopic(`never-existed-${randomUUID()}`);
    await bus.close();
  });

  it('close() waits for batches in flight, then refuses publish and subscribe', async () => {
    const bus = createInProcessBus();
    const topic = uniqueTopic();
    const started = deferred();
    const release = deferred();
    let finished = false;
    await bus.subscribe({ topic, group: 'g' }, async () => {
      started.resolve();
      await release.promise;
      finished = true;
    });
    const waiting = bus.publish(topic, event('e1'));
    await started.promise;

    const closing = bus.close();
    await waiting;
    expect(await settlesWithin(closing, 20)).toBe(false);
    release.resolve();
    await closing;

    expect(finished).toBe(true);
    await expect(bus.publish(topic, event('late'))).rejects.toThrow('bus is closed');
    await expect(bus.subscribe({ topic, group: 'late' }, async () => {})).rejects.toThrow('bus is closed');
  });

  it('trims to retainPerTopic for later fromBeginning groups', async () => {
    const bus = createInProcessBus({ retainPerTopic: 2 });
    const topic = uniqueTopic();
    for (const name of ['e1', 'e2', 'e3', 'e4']) await bus.publish(topic, event(name));
    const replay: DeliveredEvent[] = [];
    const done = deferred();
    await bus.subscribe({ topic, group: 'replay', fromBeginning: true }, async (batch) => {
      replay.push(...batch);
      done.resolve();
    });

    await done.promise;
    expect(details(replay)).toEqual(['e3', 'e4']);
    expect(replay.map((delivered) => delivered.offset)).toEqual(['2', '3']);
    await bus.close();
  });

  it('never trims events a live group has not consumed yet', async () => {
    const bus = createInProcessBus({ retainPerTopic: 1, retryDelayMs: 5 });
    const topic = uniqueTopic();
    const consumed: string[] = [];
    let healthy = false;
    let failures = 0;
    await bus.subscribe({ topic, group: 'lagging' }, async (batch) => {
      if (!healthy) {
        failures++;
        throw new Error('down for now');
      }
      consumed.push(...details(batch));
    });
    const names = ['e1', 'e2', 'e3', 'e4', 'e5'];
    const published = names.map((name) => bus.publish(topic, event(name)));
    await waitUntil(() => failures >= 3, 'the lagging group failed a few times');

    healthy = true;
    await Promise.all(published);

    expect(consumed).toEqual(names);
    await bus.close();
  });

  it('hands a record handler each event encoded as Kafka would carry it, and reports the records it rejects', async () => {
    const errors: string[] = [];
    const bus = createInProcessBus({ onHandlerError: (error) => errors.push((error as Error).message) });
    const topic = uniqueTopic();
    const seen: Array<{ offset: string; decoded: Event }> = [];
    await bus.subscribeRecords({ topic, group: 'audit' }, async (records) => {
      const decoded = records.map(({ offset, value }) => ({ offset, decoded: decodeEvent(value) }));
      seen.push(...decoded);
      return { rejected: decoded.flatMap((record, index) => (record.decoded.trace_id === 't2' ? [{ index, reason: 'not wanted here' }] : [])), consumed: consumedEvents([]) };
    });
    const events = [event('t1'), event('t2')];
    await Promise.all(events.map((published) => bus.publish(topic, published)));

    expect(seen).toEqual(events.map((decoded, i) => ({ offset: String(i), decoded })));
    expect(errors).toEqual(['event at offset 1 was rejected: not wanted here']);
    await bus.close();
  });
});

