import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { TrailStore } from './repo.ts';
import { TRAIL_MIGRATIONS } from './schema.ts';
import type { Trail } from './types.ts';

const trail = (account: string, region: string, name: string, over: Partial<Trail> = {}): Trail => ({
  account, region, name, arn: `arn:aws:cloudtrail:${region}:${account}:trail/${name}`, includeGlobalServiceEvents: true,
  isMultiRegionTrail: false, logFileValidationEnabled: false, logging: false, insightSelectors: [], createdAt: 1, ...over,
});

for (const engine of await metaEngines()) describe(`trails on ${engine.name}`, () => {
  async function repo(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'cloudtrail', migrations: TRAIL_MIGRATIONS });
    const r = await TrailStore.open(db);
    t.after(async () => { r.close(); await db.close(); });
    return { db, r };
  }

  test('trailsFor: the scope\'s own trails plus the account\'s multi-region trails, refreshed after every write', async (t) => {
    const { r } = await repo(t);
    await r.create(trail('111111111111', 'us-east-1', 'home'), {});
    await r.create(trail('111111111111', 'eu-west-1', 'everywhere', { isMultiRegionTrail: true }), { team: 'ops' });
    await r.create(trail('222222222222', 'us-east-1', 'other'), {});
    assert.deepEqual(r.trailsFor('111111111111', 'us-east-1').map((x) => x.name).sort(), ['everywhere', 'home']);
    assert.deepEqual(r.trailsFor('111111111111', 'ap-south-1').map((x) => x.name), ['everywhere']);
    assert.equal(r.trailsFor('111111111111', 'us-east-1'), r.trailsFor('111111111111', 'us-east-1'), 'cached between writes');
    const home = r.trailsFor('111111111111', 'us-east-1').find((x) => x.name === 'home')!;
    await r.save({ ...home, logging: true });
    assert.equal(r.trailsFor('111111111111', 'us-east-1').find((x) => x.name === 'home')!.logging, true);
    assert.deepEqual(await r.tags(`arn:aws:cloudtrail:eu-west-1:111111111111:trail/everywhere`), { team: 'ops' });
    assert.equal(await r.remove(home.arn), true);
    assert.equal(await r.remove(home.arn), false);
    assert.deepEqual(r.trailsFor('111111111111', 'us-east-1').map((x) => x.name), ['everywhere']);
    assert.equal(r.all().length, 2);
  });

  test('cursor and delivery status are kept per trail and dropped with it', async (t) => {
    const { r } = await repo(t);
    const x = trail('111111111111', 'us-east-1', 'cursor');
    await r.create(x, {});
    assert.equal(await r.cursor(x.arn), 0);
    await r.setCursor(x.arn, 42);
    await r.updateStatus(x.arn, { latestDeliveryTime: 5 });
    await r.updateStatus(x.arn, { latestCloudWatchLogsDeliveryError: 'boom' });
    assert.equal(await r.cursor(x.arn), 42);
    assert.deepEqual(await r.status(x.arn), { latestDeliveryTime: 5, latestCloudWatchLogsDeliveryError: 'boom' });
    await r.remove(x.arn);
    await r.create(x, {});
    assert.equal(await r.cursor(x.arn), 0);
    assert.deepEqual(await r.status(x.arn), {});
  });

  test('each telemetry store keeps its own delivery cursor, starting where the single pre-scope cursor was', async (t) => {
    const { db, r } = await repo(t);
    const x = trail('111111111111', 'us-east-1', 'scoped');
    await r.create(x, {});
    // A cursor written by a version that kept one per trail.
    await db.run('INSERT INTO cloudtrail_trail_delivery (arn, cursor) VALUES (?, 17) ON CONFLICT (arn) DO UPDATE SET cursor = 17', [x.arn]);
    const a = await TrailStore.open(db, 'aaaaaaaaaaaaaaaa');
    const b = await TrailStore.open(db, 'bbbbbbbbbbbbbbbb');
    t.after(() => { a.close(); b.close(); });
    assert.equal(await a.cursor(x.arn), 17);
    await a.setCursor(x.arn, 90);
    assert.equal(await b.cursor(x.arn), 17, 'another node\'s records have their own sequence numbers');
    await b.setCursor(x.arn, 3);
    assert.equal(await a.cursor(x.arn), 90);
    await r.remove(x.arn);
    await r.create(x, {});
    assert.equal(await a.cursor(x.arn), 0);
    assert.equal(await b.cursor(x.arn), 0);
  });

  test('a store opened again sees the trails written before', async (t) => {
    const { db, r } = await repo(t);
    await r.create(trail('111111111111', 'us-east-1', 'kept'), {});
    r.close();
    const again = await TrailStore.open(db);
    t.after(async () => again.close());
    assert.deepEqual(again.all().map((x) => x.name), ['kept']);
  });

  // SQLite is one process per data directory: another node's writes means PostgreSQL.
  test('another node\'s writes reach this node\'s cache', { skip: engine.name === 'sqlite' }, async (t) => {
    const { db, r } = await repo(t);
    const otherDb = await engine.reopen(db);
    const other = await TrailStore.open(otherDb);
    t.after(async () => { other.close(); await otherDb.close(); });
    await other.create(trail('111111111111', 'us-east-1', 'remote'), {});
    const deadline = Date.now() + 5000;
    while (r.trailsFor('111111111111', 'us-east-1').length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(r.trailsFor('111111111111', 'us-east-1').map((x) => x.name), ['remote']);
  });
});
