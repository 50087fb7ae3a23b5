import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { LeaseStore } from '../../../store/meta/leases.ts';
import { NodeStore } from '../../../store/meta/nodes.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { NODE_LOST } from '../event-types.ts';
import { HealthRepo, type Incident } from '../repo.ts';
import { HEALTH_MIGRATIONS } from '../schema.ts';
import { IncidentMonitor } from './monitor.ts';
import { nodeLostCheck } from './node-lost.ts';

const LEASE = 1000;
const T0 = Date.UTC(2026, 0, 1);

for (const engine of await metaEngines()) describe(`lost nodes on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'health', migrations: HEALTH_MIGRATIONS });
    t.after(() => db.close());
    const nodes = new NodeStore(db);
    const leases = new LeaseStore(db);
    return { db, nodes, leases, check: nodeLostCheck({ nodes, leases, leaseMs: LEASE, self: 'b' }) };
  }

  test('a node silent for over a lease period is reported with when it was last seen and the leases it held then', async (t) => {
    const { nodes, leases, check } = await fresh(t);
    await leases.acquire('cloudwatch.alarms', 'a', T0, LEASE);
    await leases.acquire('synthetics.canaries', 'a', T0, LEASE);
    await nodes.beat('a', T0 - 60_000, T0);
    await nodes.beat('b', T0, T0 + 1400);
    assert.deepEqual(await check.run(T0 + LEASE), [], 'exactly one lease period is not yet lost');
    const [c, ...more] = await check.run(T0 + 1500);
    assert.equal(more.length, 0, 'b is itself, and alive');
    assert.equal(c!.typeCode, NODE_LOST);
    assert.equal(c!.entity, 'node/a');
    assert.match(c!.description, /^Osprey node a \(started 2025-12-31T23:59:00.000Z\) was last seen at 2026-01-01T00:00:00.000Z, 2 s ago, over the 1 s lease period/);
    assert.match(c!.description, /held the leases cloudwatch\.alarms, synthetics\.canaries;/);
  });

  test('it stays open until every lease it held is another node\'s, and at least one more lease period; then the node is forgotten', async (t) => {
    const { nodes, leases, check } = await fresh(t);
    await leases.acquire('cloudwatch.alarms', 'a', T0, LEASE);
    await leases.acquire('synthetics.canaries', 'a', T0, LEASE);
    await nodes.beat('a', T0, T0);
    await leases.acquire('cloudwatch.alarms', 'b', T0 + 1100, LEASE);
    assert.equal((await check.run(T0 + 1200)).length, 1);
    assert.equal((await check.run(T0 + 2100)).length, 1, 'synthetics.canaries is nobody\'s yet');
    await leases.acquire('synthetics.canaries', 'b', T0 + 2100, LEASE);
    await leases.acquire('cloudwatch.alarms', 'b', T0 + 2100, LEASE); // b renews what it took
    assert.deepEqual(await check.run(T0 + 2200), []);
    assert.deepEqual(await nodes.list(), []);
  });

  test('a node that held no leases is reported for one lease period; one that beats again is no longer lost', async (t) => {
    const { nodes, check } = await fresh(t);
    await nodes.beat('idle', T0, T0);
    await nodes.beat('cut-off', T0, T0);
    assert.deepEqual((await check.run(T0 + 1500)).map((c) => c.entity), ['node/cut-off', 'node/idle']);
    await nodes.beat('cut-off', T0, T0 + 1600);
    assert.deepEqual((await check.run(T0 + 1700)).map((c) => c.entity), ['node/idle']);
    assert.deepEqual(await check.run(T0 + 2100), []);
    assert.deepEqual((await nodes.list()).map((n) => n.nodeId), ['cut-off']);
  });

  test('monitors taking turns (the health.cluster lease moved) report one incident, opened by one and closed by the other', async (t) => {
    const { db, nodes } = await fresh(t);
    const other = await engine.reopen(db);
    t.after(() => other.close());
    const clock = new ManualClock(T0);
    const sent: Incident[] = [];
    const monitorOn = (handle: typeof db, self: string) => {
      const check = nodeLostCheck({ nodes: new NodeStore(handle), leases: new LeaseStore(handle), leaseMs: LEASE, self });
      return new IncidentMonitor([check], new HealthRepo(handle), clock, (i) => sent.push(i), silentLogger, { reload: true });
    };
    const onB = monitorOn(db, 'b');
    const onC = monitorOn(other, 'c');
    await nodes.beat('a', T0, T0);
    clock.set(T0 + 1500);
    await onB.runOnce();
    await onC.runOnce();
    await onB.runOnce();
    assert.equal(sent.length, 1, 'one open event, whichever monitor runs');
    clock.set(T0 + 2500);
    await onC.runOnce();
    await onB.runOnce();
    const all = await new HealthRepo(db).all();
    assert.equal(all.length, 1);
    assert.equal(all[0]!.entity, 'node/a');
    assert.equal(all[0]!.endTime, T0 + 2500);
    assert.deepEqual(sent.map((i) => (i.endTime === undefined ? 'open' : 'closed')), ['open', 'closed']);
  });
});
