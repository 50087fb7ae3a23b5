import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { LeaseStore } from './leases.ts';
import { NodeStore } from './nodes.ts';

for (const engine of await metaEngines()) describe(`node heartbeats on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open();
    t.after(() => db.close());
    return { db, nodes: new NodeStore(db), leases: new LeaseStore(db) };
  }

  test('a beat records when the node was last seen and the unexpired leases it holds then', async (t) => {
    const { nodes, leases } = await fresh(t);
    await leases.acquire('cloudwatch.alarms', 'a', 0, 1000);
    await leases.acquire('synthetics.canaries', 'a', 0, 100);
    await leases.acquire('health.cluster', 'b', 0, 1000);
    await nodes.beat('a', 0, 50);
    assert.deepEqual(await nodes.list(), [{ nodeId: 'a', startedAt: 0, lastSeen: 50, leases: ['cloudwatch.alarms', 'synthetics.canaries'] }]);
    // Later beats move last_seen and refresh the list (the canary lease has expired by 200).
    await nodes.beat('a', 0, 200);
    await nodes.beat('b', 150, 210);
    assert.deepEqual(await nodes.list(), [
      { nodeId: 'a', startedAt: 0, lastSeen: 200, leases: ['cloudwatch.alarms'] },
      { nodeId: 'b', startedAt: 150, lastSeen: 210, leases: ['health.cluster'] },
    ]);
  });

  test('a clean stop removes the row; forget leaves a node that beat again since', async (t) => {
    const { nodes } = await fresh(t);
    await nodes.beat('a', 0, 10);
    await nodes.beat('b', 0, 10);
    await nodes.remove('a');
    await nodes.beat('b', 0, 20);
    assert.equal(await nodes.forget('b', 10), false, 'b came back after it was judged at 10');
    assert.equal(await nodes.forget('b', 20), true);
    assert.deepEqual(await nodes.list(), []);
  });

  test('nodes beating at once on separate connections each keep their own row', { skip: engine.name === 'sqlite' }, async (t) => {
    const { db, nodes } = await fresh(t);
    const others = await Promise.all([1, 2, 3].map(() => engine.reopen(db)));
    t.after(async () => { for (const o of others) await o.close(); });
    const stores = [nodes, ...others.map((o) => new NodeStore(o))];
    for (let round = 1; round <= 5; round++) await Promise.all(stores.map((s, i) => s.beat(`n${i}`, 0, round)));
    assert.deepEqual((await nodes.list()).map((n) => [n.nodeId, n.lastSeen]), [['n0', 5], ['n1', 5], ['n2', 5], ['n3', 5]]);
  });

  test('a node starting on a data directory takes over its dead predecessor\'s leases at once; other homes keep theirs', async (t) => {
    const { db, leases } = await fresh(t);
    const [before, other] = [new NodeStore(db, 'home-h'), new NodeStore(db, 'home-g')];
    await leases.acquire('firehose.delivery', 'p1', 0, 30_000);
    await leases.acquire('cloudwatch.alarms', 'q', 0, 30_000);
    await before.beat('p1', 0, 10);
    await other.beat('q', 0, 10);
    const restarted = new NodeStore(db, 'home-h');
    assert.deepEqual(await restarted.takeOver('p2'), ['p1']);
    assert.equal(await leases.acquire('firehose.delivery', 'p2', 20, 30_000) !== undefined, true, 'the predecessor\'s lease is free now, not in 30 s');
    assert.equal(await leases.acquire('cloudwatch.alarms', 'p2', 20, 30_000), undefined, 'another node\'s lease stays its own');
    assert.deepEqual((await restarted.list()).map((n) => n.nodeId), ['q'], 'a restart is not a lost node');
    assert.deepEqual(await new NodeStore(db).takeOver('x'), [], 'a node without a home takes nothing over');
  });
});
