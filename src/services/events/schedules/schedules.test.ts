import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import type { ScheduleOwner } from '../../../jobs/schedule-runner.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { TimerStore } from '../../../store/meta/timers.ts';
import type { BusEvent, Dispatcher } from '../dispatch.ts';
import { EventsStore, type RuleWithTargets } from '../repo.ts';
import { EVENTS_MIGRATIONS } from '../schema.ts';
import { createRuleScheduler } from './index.ts';

const s = { account: '000000000000', region: 'us-east-1' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

for (const engine of await metaEngines()) describe(`scheduled rules on ${engine.name}`, () => {
  async function setup(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'events', migrations: EVENTS_MIGRATIONS });
    t.after(() => db.close());
    const repo = new EventsStore(db);
    const clock = new ManualClock(T0);
    const fired: { rule: RuleWithTargets; e: BusEvent }[] = [];
    const dispatcher = { fire: async (rule: RuleWithTargets, e: BusEvent) => void fired.push({ rule, e }) } as unknown as Dispatcher;
    const runner = createRuleScheduler({ db, repo, dispatcher, clock, log: silentLogger });
    // The runner's owner, driven by hand (the runner's own loop waits on real time).
    const owner = (runner as unknown as { opts: { owner: ScheduleOwner } }).opts.owner;
    const timers = new TimerStore(db);
    return { repo, clock, fired, owner, timers };
  }

  test('a scheduled rule gets a timer on sync, fires its targets with the scheduled time, and loses the timer when deleted', async (t) => {
    const { repo, clock, fired, owner, timers } = await setup(t);
    await repo.ensureDefaultBus(s, T0);
    await repo.putRule(s, { bus: 'default', name: 'tick', schedule: 'rate(1 minute)', state: 'ENABLED', createdAt: T0, tags: {} });
    await repo.putTargets(s, 'default', 'tick', [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }]);
    await owner.sync();
    const [timer] = await timers.list('events');
    assert.equal(timer?.nextFireAt, T0 + 60_000);
    clock.set(T0 + 60_000);
    const [due] = await timers.claimDue('events', { now: clock.now(), owner: 'test', leaseMs: 1000, limit: 10 });
    assert.equal(due?.key, timer!.key);
    assert.equal(await owner.fire(due!), T0 + 120_000);
    assert.equal(fired.length, 1);
    assert.deepEqual(fired[0]!.rule.targets, [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }]);
    assert.equal((fired[0]!.e.event as { time: string }).time, '2026-01-01T00:01:00Z');
    await repo.deleteRule(s, 'default', 'tick');
    await owner.sync();
    assert.deepEqual(await timers.list('events'), []);
  });
});
