import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { eventually, metaEngines, twoNodes } from '../../../store/meta/test-support.ts';
import type { DetectorMetric } from './detector.ts';
import { AnomalyModels } from './models.ts';
import { ANOMALY_MIGRATIONS, AnomalyStore } from './repo.ts';
import type { TrainingPoint } from './model.ts';

const scope = { account: '000000000000', region: 'us-east-1' };
const other = { account: '111111111111', region: 'us-east-1' };
const metric: DetectorMetric = { type: 'SINGLE_METRIC', namespace: 'App', metricName: 'Latency', dimensions: [], stat: 'Average' };

for (const engine of await metaEngines()) describe(`anomaly models on ${engine.name}`, () => {
async function setup(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open({ name: 'cloudwatch-anomaly', migrations: ANOMALY_MIGRATIONS });
  t.after(() => db.close());
  const repo = new AnomalyStore(db);
  const clock = new ManualClock(Date.UTC(2026, 11, 1));
  const reads: { start: number; end: number; period: number }[] = [];
  let points: TrainingPoint[] = [];
  const models = new AnomalyModels({
    repo, clock, log: silentLogger, retrainMs: 900_000,
    query: async (_s, _m, range) => (reads.push(range), points.filter((p) => p.t >= range.start && p.t < range.end)),
  });
  const feed = (n: number) => {
    const end = Math.floor(clock.now() / 300_000) * 300_000;
    points = Array.from({ length: n }, (_, i) => ({ t: end - (n - i) * 300_000, v: 10 + (i % 3) }));
  };
  return { repo, clock, models, reads, feed };
}

test('a band request creates the detector, trains once per period, and is kept across instances', async (t) => {
  const { repo, models, reads, feed, clock } = await setup(t);
  assert.equal(await models.state(scope, (await repo.list(scope))[0]?.key ?? 'x'), 'PENDING_TRAINING');
  feed(10);
  assert.equal(await models.modelFor(scope, metric, 300), undefined, 'too few datapoints');
  const key = (await repo.list(scope))[0]!.key;
  assert.equal(await models.state(scope, key), 'TRAINED_INSUFFICIENT_DATA');
  feed(500);
  // The untrainable model is cached too: a request within the minute does not read again.
  assert.equal(await models.modelFor(scope, metric, 300), undefined);
  assert.equal(reads.length, 1);
  clock.advance(61_000);
  const m = await models.modelFor(scope, metric, 300);
  assert.ok(m && m.points === 500);
  assert.equal(await models.state(scope, key), 'TRAINED');
  assert.equal(reads[1]!.end - reads[1]!.start, 14 * 86_400_000, 'two weeks of history');
  // Another period is another model; another account sees no detector.
  clock.advance(901_000);
  assert.equal(await models.refresh(), 1, 'the background job refits stale models');
  await models.modelFor(scope, metric, 60);
  assert.equal(reads.length, 4);
  assert.deepEqual(await repo.list(other), []);
});

test('a new configuration drops the trained models; deleting removes the detector', async (t) => {
  const { repo, models, reads, feed } = await setup(t);
  feed(500);
  await models.modelFor(scope, metric, 300);
  await models.put(scope, metric, { excluded: [{ start: 0, end: 1 }] });
  await models.modelFor(scope, metric, 300);
  assert.equal(reads.length, 2, 'retrained after the configuration changed');
  assert.equal((await repo.list(scope)).length, 1);
  assert.equal(await models.delete(scope, metric), true);
  assert.equal(await models.delete(scope, metric), false);
  assert.deepEqual(await repo.list(scope), []);
});
test("another node's new configuration or refit replaces this node's cached model", async (t) => {
  const db = await engine.open({ name: 'cloudwatch-anomaly', migrations: ANOMALY_MIGRATIONS });
  t.after(() => db.close());
  const nodes = await twoNodes(engine, db, t);
  const clock = new ManualClock(Date.UTC(2026, 11, 1));
  let n = 500;
  const points = () => {
    const end = Math.floor(clock.now() / 300_000) * 300_000;
    return Array.from({ length: n }, (_, i) => ({ t: end - (n - i) * 300_000, v: 10 + (i % 3) }));
  };
  const node = (x: typeof nodes.a) => {
    const reads: number[] = [];
    const models = new AnomalyModels({ repo: new AnomalyStore(x.db), clock, log: silentLogger, retrainMs: 900_000, changes: x.changes,
      query: async () => (reads.push(n), points()) });
    return { models, reads };
  };
  const [a, b] = [node(nodes.a), node(nodes.b)];
  assert.equal((await b.models.modelFor(scope, metric, 300))?.points, 500);
  // A refit on node A (the background job): node B uses it without fitting again.
  clock.advance(901_000);
  n = 600;
  assert.equal(await a.models.refresh(), 1);
  await eventually("node A's refit on node B", async () => (await b.models.modelFor(scope, metric, 300))?.points === 600);
  assert.equal(b.reads.length, 1, 'node B read the refit from the store');
  // A new configuration on node A drops the models: node B trains again.
  await a.models.put(scope, metric, { excluded: [{ start: 0, end: 1 }] });
  await eventually('node B to train again', async () => (await b.models.modelFor(scope, metric, 300), b.reads.length === 2));
});
});
