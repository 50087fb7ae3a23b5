import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/logger.ts';
import { OutboxStore } from '../../store/meta/outbox.ts';
import { metaEngines, type MetaEngine } from '../../store/meta/test-support.ts';
import { TimerStore } from '../../store/meta/timers.ts';
import type { ScheduledInvocation } from './invocation.ts';
import { SchedulerStore, type ScheduleRecord } from './repo.ts';
import { LEAD_MS, schedulerOwner, SPENT } from './runner.ts';
import { SCHEDULER_MIGRATIONS } from './schema.ts';

for (const engine of await metaEngines()) describe(`scheduler runner on ${engine.name}`, () => {

  const scope = { account: '000000000000', region: 'eu-west-3' };
  const T0 = Date.parse('2026-03-27T12:00:00Z');

  async function setup(t: { after(fn: () => Promise<void>): void }, engine: MetaEngine) {
    const db = await engine.open({ name: 'scheduler', migrations: SCHEDULER_MIGRATIONS });
    t.after(() => db.close());
    const repo = new SchedulerStore(db);
    const outbox = new OutboxStore(db);
    const timers = new TimerStore(db);
    const clock = new ManualClock(T0);
    const owner = schedulerOwner({ db, repo, outbox, clock, log: silentLogger }, timers);
    /** One runner round at the clock's time: what fired, by key. */
    const round = async () => {
      const due = await timers.claimDue('scheduler', { now: clock.now(), owner: 'test', leaseMs: 60_000, limit: 100 });
      for (const t of due) await timers.settle('scheduler', t.key, 'test', await owner.fire(t));
      return due.length;
    };
    const enqueued = async () =>
      (await outbox.claim({ topics: ['scheduler.target'], owner: 'test', now: clock.now() + 1, leaseMs: 1000, limit: 100 })).map((r) => JSON.parse(r.payload) as ScheduledInvocation);
    return { db, repo, timers, clock, owner, outbox, round, enqueued };
  }

  const record = (over: Partial<ScheduleRecord>): ScheduleRecord => ({
    group: 'default', name: 's', expression: 'rate(1 hour)', state: 'ENABLED', target: { Arn: 'arn:aws:sns:eu-west-3:000000000000:t', RoleArn: 'arn:aws:iam::000000000000:role/r' },
    flexibleWindow: { Mode: 'OFF' }, actionAfterCompletion: 'NONE', createdAt: T0, modifiedAt: T0, revision: 'r1', ...over,
  });

  async function create(s: Awaited<ReturnType<typeof setup>>, r: ScheduleRecord) {
    await s.repo.ensureDefaultGroup(scope, T0);
    assert.ok(await s.repo.insertSchedule(scope, r));
    await s.owner.sync();
  }

  test('an at() schedule with ActionAfterCompletion DELETE fires once at its local time, its delivery to delete it', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ name: 'once', expression: 'at(2026-03-27T14:30:00)', timezone: 'Europe/Paris', actionAfterCompletion: 'DELETE' }));
    const [timer] = await s.timers.list('scheduler');
    assert.equal(new Date(timer!.nextFireAt).toISOString(), '2026-03-27T13:30:00.000Z');
    s.clock.set(timer!.nextFireAt - 1);
    assert.equal(await s.round(), 0);
    s.clock.set(timer!.nextFireAt + 20);
    assert.equal(await s.round(), 1);
    const [inv] = await s.enqueued();
    assert.equal(inv!.scheduleArn, 'arn:aws:scheduler:eu-west-3:000000000000:schedule/default/once');
    assert.equal(inv!.scheduledAt, timer!.nextFireAt);
    assert.equal(inv!.deleteAfter, true);
    // Delivery deletes it once the invocation is done (delivery.test.ts); until then its timer is spent.
    assert.ok(await s.repo.schedule(scope, 'default', 'once'));
    assert.deepEqual((await s.timers.list('scheduler')).map((x) => x.nextFireAt), [SPENT]);
    await s.owner.sync();
    assert.equal(await s.round(), 0);
  });

  test('occurrences are fired ahead of their due time, their deliveries held until then; a sync in between arms nothing again', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ name: 'once', expression: 'at(2026-03-27T12:10:00)', actionAfterCompletion: 'DELETE' }));
    await create(s, record({ name: 'hourly', expression: 'cron(10 * * * ? *)' }));
    const due = Date.parse('2026-03-27T12:10:00Z');
    s.clock.set(due - LEAD_MS);
    const fired = await s.timers.claimDue('scheduler', { now: s.clock.now(), dueBy: s.clock.now() + LEAD_MS, owner: 'test', leaseMs: 60_000, limit: 10 });
    const nexts = await s.owner.fireMany!(fired);
    for (const [i, t] of fired.entries()) await s.timers.settle('scheduler', t.key, 'test', nexts[i]!);
    assert.deepEqual(nexts.sort(), [due + 3600_000, SPENT]);
    assert.deepEqual(await s.outbox.claim({ topics: ['scheduler.target'], owner: 'test', now: due - 1, leaseMs: 1000, limit: 10 }), [], 'held until due');
    await s.repo.insertSchedule(scope, record({ name: 'other' }));
    await s.owner.sync();
    assert.equal((await s.timers.list('scheduler')).filter((x) => x.nextFireAt <= due).length, 0, 'nothing armed again for the fired occurrence');
    const rows = await s.outbox.claim({ topics: ['scheduler.target'], owner: 'test', now: due, leaseMs: 1000, limit: 10 });
    assert.deepEqual(rows.map((r) => (JSON.parse(r.payload) as ScheduledInvocation).scheduledAt), [due, due]);
  });

  test('an at() schedule with NONE stays after firing, its timer spent', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ name: 'keep', expression: 'at(2026-03-27T12:10:00)' }));
    s.clock.set(Date.parse('2026-03-27T12:10:00Z'));
    await s.round();
    assert.equal((await s.enqueued()).length, 1);
    assert.ok(await s.repo.schedule(scope, 'default', 'keep'));
    assert.deepEqual((await s.timers.list('scheduler')).map((x) => x.nextFireAt), [SPENT]);
  });

  test('an occurrence missed by more than 5 minutes is skipped and the next one is the first ahead', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ expression: 'cron(0 * * * ? *)' }));
    s.clock.set(Date.parse('2026-03-27T15:06:00Z'));
    await s.round();
    assert.deepEqual(await s.enqueued(), []);
    const [timer] = await s.timers.list('scheduler');
    assert.equal(new Date(timer!.nextFireAt).toISOString(), '2026-03-27T16:00:00.000Z');
  });

  test('an occurrence missed by less than 5 minutes fires once', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ expression: 'cron(0 * * * ? *)' }));
    s.clock.set(Date.parse('2026-03-27T13:04:00Z'));
    await s.round();
    const fired = await s.enqueued();
    assert.equal(fired.length, 1);
    assert.equal(new Date(fired[0]!.scheduledAt).toISOString(), '2026-03-27T13:00:00.000Z');
    assert.equal(new Date((await s.timers.list('scheduler'))[0]!.nextFireAt).toISOString(), '2026-03-27T14:00:00.000Z');
  });

  test('disabling, updating and deleting a schedule are seen by the next sync', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ expression: 'cron(0 * * * ? *)' }));
    assert.equal((await s.timers.list('scheduler')).length, 1);
    await s.repo.updateSchedule(scope, record({ expression: 'cron(0 * * * ? *)', state: 'DISABLED', revision: 'r2' }));
    await s.owner.sync();
    assert.deepEqual(await s.timers.list('scheduler'), []);
    await s.repo.updateSchedule(scope, record({ expression: 'cron(30 * * * ? *)', revision: 'r3' }));
    await s.owner.sync();
    assert.equal(new Date((await s.timers.list('scheduler'))[0]!.nextFireAt).toISOString(), '2026-03-27T12:30:00.000Z');
    assert.ok(await s.repo.insertGroup(scope, { name: 'g', createdAt: T0, modifiedAt: T0, tags: {} }));
    assert.ok(await s.repo.insertSchedule(scope, record({ group: 'g', name: 'in-g' })));
    await s.owner.sync();
    assert.equal((await s.timers.list('scheduler')).length, 2);
    await s.repo.deleteGroup(scope, 'g');
    await s.repo.deleteSchedule(scope, 'default', 's');
    await s.owner.sync();
    assert.deepEqual(await s.timers.list('scheduler'), []);
  });

  test('a FLEXIBLE schedule fires each occurrence at its offset and reports the scheduled time', async (t) => {
    const s = await setup(t, engine);
    await create(s, record({ expression: 'cron(0 13 * * ? *)', flexibleWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 } }));
    const [timer] = await s.timers.list('scheduler');
    const scheduled = Date.parse('2026-03-27T13:00:00Z');
    assert.ok(timer!.nextFireAt >= scheduled && timer!.nextFireAt < scheduled + 30 * 60_000);
    s.clock.set(timer!.nextFireAt);
    await s.round();
    assert.equal((await s.enqueued())[0]!.scheduledAt, scheduled);
  });
});
