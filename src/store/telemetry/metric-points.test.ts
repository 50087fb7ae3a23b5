// chDB binds one data directory per process (node --test runs each file in its own process): this
// file owns one temp directory, and each test its own account so the data cannot collide.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { Distribution, MetricPointStore, encodeMetricPoints, summarize, type MetricPoint } from './metric-points.ts';
import { PayloadWriter } from './payload.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-metric-points-'));
let engine: ChdbEngine;
let store: MetricPointStore;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await migrate(engine);
  store = new MetricPointStore(engine);
});

after(async () => {
  await store.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

let accounts = 200000000000;
// Recent: raw points are kept 3 h (metric-rollups.ts), older ones live only in the rollups.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;

function point(account: string, over: Partial<MetricPoint> = {}): MetricPoint {
  return {
    account, region: 'us-east-1', namespace: 'App', metricName: 'Latency', dimensions: {},
    timestamp: T0, storageResolution: 60, unit: 'Milliseconds', ...summarize({ value: 1 }), ...over,
  };
}

const q = (account: string, over: Partial<Parameters<MetricPointStore['query']>[0]> = {}) =>
  store.query({ account, region: 'us-east-1', namespace: 'App', metricName: 'Latency', startTime: T0 - 3_600_000, endTime: T0 + 3_600_000, ...over });

test('summarize gives every PutMetricData form the same statistics', () => {
  assert.deepEqual(summarize({ value: 2.5 }), { sampleCount: 1, sum: 2.5, min: 2.5, max: 2.5, values: [2.5], counts: [1] });
  assert.deepEqual(summarize({ values: [123.4, 99] }), { sampleCount: 2, sum: 222.4, min: 99, max: 123.4, values: [123.4, 99], counts: [1, 1] });
  assert.deepEqual(summarize({ values: [1, 5], counts: [3, 2] }), { sampleCount: 5, sum: 13, min: 1, max: 5, values: [1, 5], counts: [3, 2] });
  assert.deepEqual(summarize({ statisticValues: { sampleCount: 4, sum: 10, minimum: 1, maximum: 4 } }),
    { sampleCount: 4, sum: 10, min: 1, max: 4, values: [], counts: [] });
  // A statistic set with the distribution it summarises (histogram form): statistics as given.
  assert.deepEqual(summarize({ statisticValues: { sampleCount: 3, sum: 5.1, minimum: 0.9, maximum: 3.2 }, values: [1, 3], counts: [2, 1] }),
    { sampleCount: 3, sum: 5.1, min: 0.9, max: 3.2, values: [1, 3], counts: [2, 1] });
  // A zero count contributes nothing but stays in the distribution as sent.
  assert.deepEqual(summarize({ values: [7, 100], counts: [1, 0] }), { sampleCount: 1, sum: 7, min: 7, max: 7, values: [7, 100], counts: [1, 0] });
});

test('summarize refuses what no CloudWatch form allows', () => {
  assert.throws(() => summarize({ value: Number.NaN }), RangeError);
  assert.throws(() => summarize({ value: Infinity }), RangeError);
  assert.throws(() => summarize({ values: [] }), RangeError);
  assert.throws(() => summarize({ values: [1, 2], counts: [1] }), RangeError);
  assert.throws(() => summarize({ values: [1], counts: [-1] }), RangeError);
  assert.throws(() => summarize({ values: [1], counts: [0] }), RangeError);
  assert.throws(() => summarize({ statisticValues: { sampleCount: 0, sum: 0, minimum: 0, maximum: 0 } }), RangeError);
  assert.throws(() => summarize({ statisticValues: { sampleCount: 1, sum: 0, minimum: 2, maximum: 1 } }), RangeError);
  assert.throws(() => summarize({ statisticValues: { sampleCount: 1, sum: 1, minimum: 1, maximum: 1 }, values: [1, 2], counts: [1] }), RangeError);
});

test('Distribution collapses repeated values into counts in order of first appearance', () => {
  const d = new Distribution();
  for (const v of [1, 0, 1, 1, -0, 3]) d.add(v);
  assert.deepEqual(d.summary(), { sampleCount: 6, sum: 6, min: 0, max: 3, values: [1, 0, 3], counts: [3, 2, 1] });
});

test('encoding rejects a bad point before writing anything, so a shared batch stays intact', () => {
  const out = new PayloadWriter();
  assert.throws(() => encodeMetricPoints([point('1'), point('1', { sum: Number.NaN })], out), RangeError);
  assert.throws(() => encodeMetricPoints([point('1', { storageResolution: 5 as 60 })], out), RangeError);
  assert.throws(() => encodeMetricPoints([point('1', { timestamp: 1.5 })], out), RangeError);
  assert.throws(() => encodeMetricPoints([point('1', { values: [1], counts: [] })], out), RangeError);
  assert.equal(out.length, 0);
});

test('append resolves once points are readable, and every field round-trips exactly', async () => {
  const a = String(accounts++);
  const points = [
    point(a, { timestamp: T0 + 1000, ...summarize({ values: [0.1, 0.20000000000000004, 1e-300, 1.7976931348623157e308], counts: [1, 2, 3, 1] }) }),
    point(a, { timestamp: T0 + 2000, storageResolution: 1, unit: 'Count', ...summarize({ statisticValues: { sampleCount: 3, sum: -6, minimum: -3, maximum: -1 } }) }),
    point(a, { timestamp: T0, ...summarize({ value: -0 }) }),
  ];
  await store.append(points);
  const back = await q(a);
  assert.deepEqual(back, [
    { ...points[2]!, sum: 0, min: 0, max: 0, values: [0] },
    points[0]!,
    points[1]!,
  ]);
});

test('dimensions are one canonical series whatever their order, and query selects an exact set', async () => {
  const a = String(accounts++);
  await store.append([
    point(a, { dimensions: { Service: 'checkout', Operation: 'Pay' }, timestamp: T0 }),
    point(a, { dimensions: { Operation: 'Pay', Service: 'checkout' }, timestamp: T0 + 1 }),
    point(a, { dimensions: { Service: 'checkout' }, timestamp: T0 + 2 }),
    point(a, { timestamp: T0 + 3 }),
    point(a, { dimensions: { Service: 'tab\there "quoted" ü' }, timestamp: T0 + 4 }),
  ]);
  const pay = await q(a, { dimensions: { Service: 'checkout', Operation: 'Pay' } });
  assert.deepEqual(pay.map((p) => [p.timestamp - T0, Object.keys(p.dimensions)]), [[0, ['Operation', 'Service']], [1, ['Operation', 'Service']]]);
  assert.deepEqual((await q(a, { dimensions: {} })).map((p) => p.timestamp - T0), [3]);
  assert.deepEqual((await q(a, { dimensions: { Service: 'checkout' } })).map((p) => p.timestamp - T0), [2]);
  assert.deepEqual((await q(a, { dimensions: { Service: 'tab\there "quoted" ü' } })).map((p) => p.timestamp - T0), [4]);
  assert.equal((await q(a)).length, 5);
});

test('query treats startTime as inclusive, endTime as exclusive, and keeps metrics and namespaces apart', async () => {
  const a = String(accounts++);
  await store.append([
    point(a, { timestamp: T0 }), point(a, { timestamp: T0 + 60_000 }), point(a, { timestamp: T0 + 120_000 }),
    point(a, { metricName: 'Other', timestamp: T0 }), point(a, { namespace: 'Other', timestamp: T0 }),
    point(a, { region: 'eu-west-1', timestamp: T0 }),
  ]);
  assert.deepEqual((await q(a, { startTime: T0, endTime: T0 + 120_000 })).map((p) => p.timestamp - T0), [0, 60_000]);
  assert.deepEqual(await q(a, { startTime: T0 + 120_001 }), []);
});

test('the table has the retention TTL and the series ordering key', async () => {
  const [t] = await engine.query<{ sorting_key: string; create_table_query: string }>(
    "SELECT sorting_key, create_table_query FROM system.tables WHERE database = currentDatabase() AND name = 'metric_raw'");
  assert.equal(t!.sorting_key, 'account, region, namespace, metric_name, dimensions, ts');
  assert.match(t!.create_table_query, /TTL toDateTime\(intDiv\(ts, 1000\)\) \+ toIntervalSecond\(10800\)/);
});
