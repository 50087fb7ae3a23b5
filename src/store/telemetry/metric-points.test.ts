// chDB binds one data directory per process (node --test runs each file in its own process): this
// file owns one temp directory, and each test its own account so the data cannot collide.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { METRIC_TABLES_RE, MetricPointStore, type MetricPoint } from './metric-points.ts';
import { encodeMetricRecord } from './metric-wal-codec.ts';
import { readYourWrites } from '../ingest/read-your-writes.ts';
import type { SqlEngine } from './engine.ts';
import { canonicalDimensions } from './metric-series.ts';
import { summarize } from '../../lib/metric-observation.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-metric-points-'));
let bare: ChdbEngine;
/** The engine as readers see it: reads wait for acknowledged points (read-your-writes.ts). */
let engine: SqlEngine;
let store: MetricPointStore;

before(async () => {
  bare = await ChdbEngine.open({ path: join(dir, 'db') });
  await migrate(bare);
  store = await MetricPointStore.open(bare, { dir: join(dir, 'wal'), fsync: false });
  engine = readYourWrites(bare, [{ tables: METRIC_TABLES_RE, pipeline: store.ingest }]);
});

after(async () => {
  await store.close();
  await bare.close();
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

interface PointQuery {
  account: string; region: string; namespace: string; metricName: string;
  /** Exact dimension set of the series; undefined = every series of the metric. */
  dimensions?: Readonly<Record<string, string>>;
  /** Inclusive, ms. */
  startTime: number;
  /** Exclusive, ms. */
  endTime: number;
}

/** The stored points of one metric in [startTime, endTime), ordered by series then time, read straight from metric_raw. */
async function readPoints(pq: PointQuery): Promise<MetricPoint[]> {
  const params: Record<string, unknown> = {
    account: pq.account, region: pq.region, namespace: pq.namespace, metricName: pq.metricName, startTime: pq.startTime, endTime: pq.endTime,
  };
  const where = [
    'account = {account:String}', 'region = {region:String}', 'namespace = {namespace:String}',
    'metric_name = {metricName:String}', 'ts >= {startTime:Int64}', 'ts < {endTime:Int64}',
  ];
  if (pq.dimensions !== undefined) {
    const dims = canonicalDimensions(pq.dimensions);
    where.push('mapKeys(dimensions) = {dimKeys:Array(String)}', 'mapValues(dimensions) = {dimValues:Array(String)}');
    params.dimKeys = dims.map(([k]) => k);
    params.dimValues = dims.map(([, v]) => v);
  }
  const rows = await engine.query<{
    dimensions: Record<string, string>; ts: string; storage_resolution: number; unit: string;
    sample_count: number; sum: number; min: number; max: number; values: number[]; counts: number[];
  }>(
    'SELECT dimensions, ts, storage_resolution, unit, sample_count, sum, min, max, values, counts FROM metric_raw ' +
    `WHERE ${where.join(' AND ')} ORDER BY dimensions, ts`,
    params,
  );
  return rows.map((r) => ({
    account: pq.account, region: pq.region, namespace: pq.namespace, metricName: pq.metricName,
    dimensions: r.dimensions, timestamp: Number(r.ts), storageResolution: r.storage_resolution === 1 ? 1 : 60, unit: r.unit,
    sampleCount: r.sample_count, sum: r.sum, min: r.min, max: r.max, values: r.values, counts: r.counts,
  }));
}

const q = (account: string, over: Partial<PointQuery> = {}) =>
  readPoints({ account, region: 'us-east-1', namespace: 'App', metricName: 'Latency', startTime: T0 - 3_600_000, endTime: T0 + 3_600_000, ...over });

test('a bad point is rejected before anything is written, so a shared batch stays intact', async () => {
  assert.throws(() => encodeMetricRecord([point('1'), point('1', { sampleCount: 0 })]), RangeError);
  assert.throws(() => encodeMetricRecord([point('1', { storageResolution: 5 as 60 })]), RangeError);
  assert.throws(() => encodeMetricRecord([point('1', { timestamp: 1.5 })]), RangeError);
  assert.throws(() => encodeMetricRecord([point('1', { values: [1], counts: [] })]), RangeError);
  const a = String(accounts++);
  await assert.rejects(store.append([point(a), point(a, { sampleCount: 0 })]), RangeError);
  assert.deepEqual(await q(a), []);
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

test('dimensions are one canonical series whatever their order, stored as an exact set', async () => {
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

test('points keep their time, metric, namespace and region apart', async () => {
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
