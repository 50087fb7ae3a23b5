import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../../lib/logger.ts';
import { createArchive, deleteArchive } from './archives.ts';
import { archiveListener } from './listener.ts';
import { ReplayRunner, replayedEvent } from './replay-runner.ts';
import { cancelReplay, describeReplay, startReplay } from './replays.ts';
import { busEvent, fakeCompile, recordingDispatcher, setup, T0 } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`archives: replay-runner on ${engine.name}`, () => {

  const P = 'arn:aws:events:us-east-1:000000000000';
  const BUS_ARN = `${P}:event-bus/orders`;
  const ARCHIVE_ARN = `${P}:archive/arch`;

  /** An archive on `orders` holding `n` events one second apart from T0 (archived in reverse order). */
  async function archived(n: number) {
    const env = await setup(engine);
    await env.events.createBus(env.ctx, { name: 'orders', createdAt: T0, modifiedAt: T0, tags: {} });
    await createArchive(env.deps, env.ctx, { ArchiveName: 'arch', EventSourceArn: BUS_ARN });
    const listener = archiveListener({ archives: env.archives, clock: env.clock, log: silentLogger, compile: fakeCompile });
    const events = Array.from({ length: n }, (_, i) => busEvent({ source: 'shop', time: T0 + (n - 1 - i) * 1000, detail: { i: n - 1 - i } }));
    await listener(env.ctx, 'orders', events, 0);
    const dispatcher = recordingDispatcher();
    const runner = (batch = 100) => new ReplayRunner({ ...env, log: silentLogger, dispatcher, batch, leaseMs: 10_000 });
    return { ...env, dispatcher, runner, listener };
  }

  const start = (from: number, to: number, extra: Record<string, unknown> = {}) => ({
    ReplayName: 'r', EventSourceArn: ARCHIVE_ARN, EventStartTime: new Date(from), EventEndTime: new Date(to), Destination: { Arn: BUS_ARN }, ...extra,
  });

  test('a replay sends the events of [start, end) in time order, in batches, with "replay-name" after "region", then completes', async () => {
    const env = await archived(5);
    await startReplay(env.deps, env.ctx, start(T0 + 1000, T0 + 4000));
    env.clock.advance(5000);
    await env.runner(2).runAll();
    const calls = env.dispatcher.calls;
    assert.deepEqual(calls.map((c) => c.events.length), [2, 1]);
    assert.ok(calls.every((c) => c.bus === 'orders' && c.account === '000000000000' && c.only === undefined));
    const sent = calls.flatMap((c) => c.events.map((e) => e.event));
    assert.deepEqual(sent.map((e) => (e.detail as { i: number }).i), [1, 2, 3]);
    assert.deepEqual(Object.keys(sent[0]!), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail']);
    assert.equal(sent[0]!['replay-name'], 'r');
    assert.equal(calls[0]!.events[0]!.json, JSON.stringify(sent[0]));
    const d = await describeReplay(env.deps, env.ctx, { ReplayName: 'r' });
    assert.equal(d.State, 'COMPLETED');
    assert.deepEqual(d.EventLastReplayedTime, new Date(T0 + 3000));
    assert.deepEqual(d.ReplayEndTime, new Date(T0 + 5000));
  });

  test('events archived after the replay started are not part of it, even inside its time range', async () => {
    const env = await archived(2);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 3_600_000));
    env.clock.advance(1);
    await env.listener(env.ctx, 'orders', [busEvent({ source: 'shop', time: T0 + 500, detail: { i: 99 } })], 0);
    await env.runner().runAll();
    assert.deepEqual(env.dispatcher.calls.flatMap((c) => c.events.map((e) => (e.event.detail as { i: number }).i)), [0, 1]);
  });

  test('FilterArns limit the replay to those rules (by name)', async () => {
    const env = await archived(1);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 1000, { Destination: { Arn: BUS_ARN, FilterArns: [`${P}:rule/orders/a`, `${P}:rule/orders/b`] } }));
    await env.runner().runAll();
    assert.deepEqual([...env.dispatcher.calls[0]!.only!].sort(), ['a', 'b']);
  });

  test('a replay of an empty range completes without sending anything or a last-replayed time', async () => {
    const env = await archived(2);
    await startReplay(env.deps, env.ctx, start(T0 + 60_000, T0 + 120_000));
    await env.runner().runAll();
    assert.equal(env.dispatcher.calls.length, 0);
    const d = await describeReplay(env.deps, env.ctx, { ReplayName: 'r' });
    assert.equal(d.State, 'COMPLETED');
    assert.equal(d.EventLastReplayedTime, undefined);
  });

  test('a cancelled replay ends CANCELLED with an end time and sends nothing more', async () => {
    const env = await archived(3);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 10_000));
    await cancelReplay(env.deps, env.ctx, { ReplayName: 'r' });
    await env.runner(1).runAll();
    assert.equal(env.dispatcher.calls.length, 0);
    const d = await describeReplay(env.deps, env.ctx, { ReplayName: 'r' });
    assert.equal(d.State, 'CANCELLED');
    assert.deepEqual(d.ReplayEndTime, new Date(T0));
  });

  test('a replay whose archive was deleted FAILS with the reason', async () => {
    const env = await archived(3);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 10_000));
    await deleteArchive(env.deps, env.ctx, { ArchiveName: 'arch' });
    await env.runner().runAll();
    const d = await describeReplay(env.deps, env.ctx, { ReplayName: 'r' });
    assert.equal(d.State, 'FAILED');
    assert.equal(d.StateReason, 'Archive arch does not exist.');
  });

  test('a replay interrupted mid-way resumes from its cursor in another runner once the lease expires', async () => {
    const env = await archived(5);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 10_000));
    const first = env.runner(2);
    let n = 0;
    const realDispatch = env.dispatcher.dispatch.bind(env.dispatcher);
    // The process "dies" on its second batch (the runner logs it and leaves the replay for later): the
    // first batch's cursor is stored, the second is not.
    env.dispatcher.dispatch = async (...args) => {
      n += 1;
      if (n === 2) throw new Error('crash');
      return realDispatch(...args);
    };
    await first.runAll();
    env.dispatcher.dispatch = realDispatch;
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'r' })).State, 'RUNNING');
    const second = env.runner(2);
    await second.runAll();
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'r' })).State, 'RUNNING', 'the first runner still holds the lease');
    env.clock.advance(10_001);
    await second.runAll();
    const sent = env.dispatcher.calls.flatMap((c) => c.events.map((e) => (e.event.detail as { i: number }).i));
    assert.deepEqual(sent, [0, 1, 2, 3, 4]);
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'r' })).State, 'COMPLETED');
  });

  test('a replay whose dispatch keeps failing does not hold the others back, and is retried on the next run', async () => {
    const env = await archived(2);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 10_000, { ReplayName: 'bad' }));
    await startReplay(env.deps, env.ctx, start(T0, T0 + 10_000, { ReplayName: 'good' }));
    const realDispatch = env.dispatcher.dispatch.bind(env.dispatcher);
    env.dispatcher.dispatch = async (s, bus, events, only) => {
      if (events[0]!.event['replay-name'] === 'bad') throw new Error('target store down');
      return realDispatch(s, bus, events, only);
    };
    const runner = env.runner();
    await runner.runAll();
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'good' })).State, 'COMPLETED');
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'bad' })).State, 'STARTING');
    env.dispatcher.dispatch = realDispatch;
    await runner.runAll();
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'bad' })).State, 'COMPLETED');
  });

  test('a cleanly stopped runner gives up its lease so the next one resumes at once', async () => {
    const env = await archived(1);
    await startReplay(env.deps, env.ctx, start(T0, T0 + 10_000));
    await env.replays.claim('gone-owner', T0, 10_000, 10);
    await env.replays.release('gone-owner');
    await env.runner().runAll();
    assert.equal((await describeReplay(env.deps, env.ctx, { ReplayName: 'r' })).State, 'COMPLETED');
  });

  test('replayedEvent puts "replay-name" after "region" (as AWS sends it) and stamps a new ingestion time', () => {
    const e = replayedEvent({ seq: 1, eventTime: T0, json: '{"id":"x","region":"us-east-1","detail":{}}' }, 'r', 42);
    assert.equal(e.json, '{"id":"x","region":"us-east-1","replay-name":"r","detail":{}}');
    assert.equal(e.ingestedAt, 42);
  });
});
