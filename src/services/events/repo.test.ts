import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metaEngines } from '../../store/meta/test-support.ts';
import { EventsStore } from './repo.ts';
import { EVENTS_MIGRATIONS } from './schema.ts';

const s = { account: '000000000000', region: 'us-east-1' };
const other = { account: '111111111111', region: 'us-east-1' };

for (const engine of await metaEngines()) describe(`events repo on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'events', migrations: EVENTS_MIGRATIONS });
    t.after(() => db.close());
    return new EventsStore(db);
  }

  const rule = (name: string, extra: Record<string, unknown> = {}) => ({ bus: 'default', name, state: 'ENABLED', createdAt: 1, tags: {}, ...extra });

  test('rule and target changes move the scope\'s generation; a rule keeps its creation time and tags when put again', async (t) => {
    const repo = await fresh(t);
    await repo.ensureDefaultBus(s, 1);
    await repo.ensureDefaultBus(s, 2);
    assert.equal(await repo.generation(s), 0);
    await repo.putRule(s, rule('r', { eventPattern: '{}', tags: { a: '1' } }));
    await repo.putRule(s, rule('r', { eventPattern: '{"x":[1]}', createdAt: 99, tags: {} }));
    assert.equal(await repo.generation(s), 2);
    const r = (await repo.getRule(s, 'default', 'r'))!;
    assert.equal(r.eventPattern, '{"x":[1]}');
    assert.equal(r.createdAt, 1);
    assert.deepEqual(r.tags, { a: '1' });
    await repo.putTargets(s, 'default', 'r', [{ Id: 'b', Arn: 'arn:b' }, { Id: 'a', Arn: 'arn:a' }]);
    await repo.putTargets(s, 'default', 'r', [{ Id: 'a', Arn: 'arn:a2' }]);
    assert.deepEqual(await repo.listTargets(s, 'default', 'r'), [{ Id: 'a', Arn: 'arn:a2' }, { Id: 'b', Arn: 'arn:b' }]);
    assert.deepEqual(await repo.removeTargets(s, 'default', 'r', ['a', 'zz']), ['a']);
    assert.equal(await repo.generation(s), 5);
    assert.equal(await repo.generation(other), 0);
    assert.equal(await repo.totalGeneration(), 5);
  });

  test('rulesWithTargets and scheduledRules give each enabled rule its own targets in Id order', async (t) => {
    const repo = await fresh(t);
    for (const scope of [s, other]) await repo.ensureDefaultBus(scope, 1);
    await repo.createBus(s, { name: 'orders', createdAt: 1, modifiedAt: 1, tags: {} });
    await repo.putRule(s, rule('p1', { eventPattern: '{}' }));
    await repo.putRule(s, rule('p2', { eventPattern: '{}' }));
    await repo.putRule(s, rule('off', { eventPattern: '{}', state: 'DISABLED' }));
    await repo.putRule(s, rule('o', { bus: 'orders', eventPattern: '{}' }));
    await repo.putRule(s, rule('sched', { schedule: 'rate(1 minute)' }));
    await repo.putRule(other, rule('sched', { schedule: 'rate(5 minutes)' }));
    await repo.putTargets(s, 'default', 'p1', [{ Id: '2', Arn: 'arn:2' }, { Id: '1', Arn: 'arn:1' }]);
    await repo.putTargets(s, 'default', 'off', [{ Id: '1', Arn: 'arn:off' }]);
    await repo.putTargets(s, 'orders', 'o', [{ Id: '1', Arn: 'arn:o' }]);
    await repo.putTargets(s, 'default', 'sched', [{ Id: 't', Arn: 'arn:s' }]);
    await repo.putTargets(other, 'default', 'sched', [{ Id: 't', Arn: 'arn:other' }]);
    const byName = new Map((await repo.rulesWithTargets(s, 'default')).map((r) => [r.name, r.targets.map((x) => x.Arn)]));
    assert.deepEqual([...byName.keys()].sort(), ['p1', 'p2']);
    assert.deepEqual(byName.get('p1'), ['arn:1', 'arn:2']);
    assert.deepEqual(byName.get('p2'), []);
    const scheduled = (await repo.scheduledRules()).map((r) => [r.account, r.name, r.targets.map((x) => x.Arn)]).sort();
    assert.deepEqual(scheduled, [[s.account, 'sched', ['arn:s']], [other.account, 'sched', ['arn:other']]]);
  });

  test('buses and rules list by exact, case-sensitive prefix and page by name; deleting a bus removes its rules', async (t) => {
    const repo = await fresh(t);
    for (const name of ['a', 'A-b', 'ab', 'b']) assert.ok(await repo.createBus(s, { name, createdAt: 1, modifiedAt: 1, tags: {} }));
    assert.equal(await repo.createBus(s, { name: 'a', createdAt: 1, modifiedAt: 1, tags: {} }), false);
    assert.deepEqual((await repo.listBuses(s, { prefix: 'a', limit: 10 })).map((b) => b.name), ['a', 'ab']);
    assert.deepEqual((await repo.listBuses(s, { after: 'a', limit: 2 })).map((b) => b.name), ['ab', 'b']);
    assert.equal(await repo.countBuses(s), 4);
    assert.ok(await repo.updateBus(s, 'a', { description: 'd', tags: { k: 'v' } }));
    assert.deepEqual((await repo.getBus(s, 'a'))!.tags, { k: 'v' });
    await repo.putRule(s, rule('r', { bus: 'a', eventPattern: '{}' }));
    assert.equal(await repo.countRules(s, 'a'), 1);
    assert.ok(await repo.deleteBus(s, 'a'));
    assert.equal(await repo.countRules(s, 'a'), 0);
  });
});
