import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/logger.ts';
import type { MetaDb } from '../../store/meta/sql/types.ts';
import { metaEngines } from '../../store/meta/test-support.ts';
import type { SchemasDeps } from './deps.ts';
import { Discovery } from './discovery.ts';
import { DISCOVERED_REGISTRY } from './names.ts';
import { SchemasStore } from './repo.ts';
import { SCHEMAS_MIGRATIONS } from './schema.ts';

for (const engine of await metaEngines()) describe(`schemas discovery on ${engine.name}`, () => {

  const scope = { account: '111111111111', region: 'eu-west-1' };
  const BUS_ARN = 'arn:aws:events:eu-west-1:111111111111:event-bus/default';

  const opened: MetaDb[] = [];
  after(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  async function setup(opts: { state?: 'STARTED' | 'STOPPED'; crossAccount?: boolean } = {}) {
    const db = await engine.open({ name: 'schemas', migrations: SCHEMAS_MIGRATIONS });
    opened.push(db);
    const repo = new SchemasStore(db);
    const deps: SchemasDeps = { repo, clock: new ManualClock(Date.parse('2026-03-27T12:00:00Z')), log: silentLogger, managedScopes: new Set() };
    await repo.insertDiscoverer(scope, {
      id: 'events-event-bus-default', sourceArn: BUS_ARN, state: opts.state ?? 'STARTED', crossAccount: opts.crossAccount ?? true, tags: {},
    });
    // A long debounce: the tests flush by hand, so nothing runs behind their back.
    const discovery = new Discovery(deps, { debounceMs: 60_000, maxPending: 5 });
    const accept = (events: Record<string, unknown>[], bus = 'default') => discovery.accept({ kind: 'events.accepted', ...scope, bus, events });
    const versions = (name: string) => repo.versions(scope, DISCOVERED_REGISTRY, name);
    return { repo, discovery, accept, versions };
  }

  const ev = (detailType: string, detail: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    version: '0', id: 'x', source: 'app.orders', 'detail-type': detailType, account: scope.account, time: '2026-03-27T12:00:00Z',
    region: scope.region, resources: [], detail, ...extra,
  });

  test('accept only queues: nothing is written until the flush', async () => {
    const { discovery, accept, versions } = await setup();
    accept([ev('Order Placed', { id: 1 })]);
    assert.deepEqual(await versions('app.orders@OrderPlaced'), []);
    await discovery.flush();
    assert.equal((await versions('app.orders@OrderPlaced')).length, 1);
    await discovery.close();
  });

  test('a new shape makes a new version; the same shape again does not; fields seen once stay', async () => {
    const { discovery, accept, versions } = await setup();
    accept([ev('Order Placed', { id: 1 }), ev('Order Placed', { id: 2 })]);
    await discovery.flush();
    accept([ev('Order Placed', { id: 3 })]);
    await discovery.flush();
    assert.equal((await versions('app.orders@OrderPlaced')).length, 1);
    accept([ev('Order Placed', { id: 4, coupon: 'X' })]);
    await discovery.flush();
    accept([ev('Order Placed', { id: 5 })]);
    await discovery.flush();
    const vs = await versions('app.orders@OrderPlaced');
    assert.deepEqual(vs.map((v) => v.version), [1, 2]);
    const latest = JSON.parse(vs[1]!.content);
    assert.deepEqual(Object.keys(latest.components.schemas.OrderPlaced.properties), ['coupon', 'id']);
    assert.deepEqual(latest.components.schemas.OrderPlaced.required, ['id']);
    await discovery.close();
  });

  test('a changed field type makes a new version', async () => {
    const { discovery, accept, versions } = await setup();
    accept([ev('Order Placed', { id: 1 })]);
    await discovery.flush();
    accept([ev('Order Placed', { id: 'one' })]);
    await discovery.flush();
    const vs = await versions('app.orders@OrderPlaced');
    assert.equal(vs.length, 2);
    assert.deepEqual(JSON.parse(vs[1]!.content).components.schemas.OrderPlaced.properties.id, { type: 'string' });
    await discovery.close();
  });

  test('one schema per source@detail-type; other buses, stopped discoverers and non-events are ignored', async () => {
    const { repo, discovery, accept } = await setup();
    accept([ev('Order Placed', { id: 1 }), ev('Order Shipped', { id: 1 }), { not: 'an event' }]);
    accept([ev('Elsewhere', { id: 1 })], 'other-bus');
    await discovery.close();
    assert.deepEqual((await repo.schemas(scope, DISCOVERED_REGISTRY)).map((s) => s.name), ['app.orders@OrderPlaced', 'app.orders@OrderShipped']);

    const stopped = await setup({ state: 'STOPPED' });
    stopped.accept([ev('Order Placed', { id: 1 })]);
    await stopped.discovery.close();
    assert.deepEqual(await stopped.repo.schemas(scope, DISCOVERED_REGISTRY), []);
  });

  test('without CrossAccount, events another account sent are not inferred', async () => {
    const { repo, discovery, accept } = await setup({ crossAccount: false });
    accept([ev('Foreign', { a: 1 }, { account: '222222222222' }), ev('Own', { a: 1 })]);
    await discovery.close();
    assert.deepEqual((await repo.schemas(scope, DISCOVERED_REGISTRY)).map((s) => s.name), ['app.orders@Own']);
  });

  test('the queue is bounded: batches beyond maxPending events are not sampled', async () => {
    const { repo, discovery, accept } = await setup();
    accept([1, 2, 3, 4, 5].map((i) => ev(`T${i}`, { i })));
    accept([ev('Late', { i: 6 })]);
    await discovery.close();
    assert.equal((await repo.schemas(scope, DISCOVERED_REGISTRY)).length, 5);
  });

  test('a failing flush is logged and does not stop later flushes', async () => {
    const { repo, discovery, accept, versions } = await setup();
    const original = repo.startedDiscoverers.bind(repo);
    repo.startedDiscoverers = async () => {
      throw new Error('disk on fire');
    };
    accept([ev('Order Placed', { id: 1 })]);
    await discovery.flush();
    repo.startedDiscoverers = original;
    accept([ev('Order Placed', { id: 1 })]);
    await discovery.close();
    assert.equal((await versions('app.orders@OrderPlaced')).length, 1);
  });
});
