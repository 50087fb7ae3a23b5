// Metrics Insights end to end in embedded ClickHouse: parse → compile → run over a raw point table
// → series. chDB binds one data directory per process (node --test runs each file in its own
// process): this file owns one temp directory and one data set, which no test modifies.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { METRIC_RAW_COLUMNS, METRIC_RAW_DDL, metricRawRow } from './fixture.ts';
import { runMetricsInsights, type CompileOptions, type MiSeries } from './index.ts';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const NS = 'AWS/EC2';
const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const OPTS: CompileOptions = { account: ACCOUNT, region: REGION, startTime: T0, endTime: T0 + 10 * MIN, period: 60 };
const minutes = (...ks: number[]) => ks.map((k) => T0 + k * MIN);

interface Point {
  account?: string;
  region?: string;
  namespace?: string;
  metric?: string;
  dims: Record<string, string>;
  ts: number;
  /** A single value, or a StatisticSet [sampleCount, sum, min, max]. */
  v: number | [number, number, number, number];
}

const I_A = { InstanceId: 'i-a', InstanceType: 'm5' };
const I_B = { InstanceId: 'i-b', InstanceType: 'c5' };
const I_C = { InstanceId: 'i-c', InstanceType: 'm5' };
const M5 = { InstanceType: 'm5' }; // an aggregate series without InstanceId
const NONE = {};

const POINTS: Point[] = [
  // Minutes 0–4 of CPUUtilization in five series.
  ...[10, 20, 30, 40, 50].map((v, k) => ({ dims: I_A, ts: T0 + k * MIN, v })),
  ...[0, 1, 2, 3, 4].map((k) => ({ dims: I_B, ts: T0 + k * MIN, v: 5 })),
  // A StatisticSet of 4 samples in i-b's third minute: sum 100, min 1, max 90.
  { dims: I_B, ts: T0 + 2 * MIN + 30_000, v: [4, 100, 1, 90] },
  ...[0, 1, 2, 3, 4].map((k) => ({ dims: I_C, ts: T0 + k * MIN, v: 1 })),
  ...[0, 1, 2, 3, 4].map((k) => ({ dims: M5, ts: T0 + k * MIN, v: 100 })),
  ...[0, 1, 2, 3, 4].map((k) => ({ dims: NONE, ts: T0 + k * MIN, v: 7 })),
  // Outside [startTime, endTime): before it and exactly at its (exclusive) end.
  { dims: I_A, ts: T0 - MIN, v: 1000 },
  { dims: I_A, ts: T0 + 10 * MIN, v: 1000 },
  // Other accounts, regions, namespaces and metrics: never part of a result above.
  { account: '222222222222', dims: I_A, ts: T0, v: 1000 },
  { region: 'eu-west-1', dims: I_A, ts: T0, v: 1000 },
  { namespace: 'Custom/EC2', dims: I_A, ts: T0, v: 1000 },
  { metric: 'NetworkIn', dims: I_A, ts: T0, v: 1000 },
  // Quotes in a label value.
  { metric: 'Quoted', dims: { Name: 'it\'s "x"' }, ts: T0, v: 2 },
  { metric: 'Quoted', dims: { Name: 'plain' }, ts: T0, v: 3 },
];

const row = (p: Point) => metricRawRow({
  account: p.account ?? ACCOUNT, region: p.region ?? REGION, namespace: p.namespace ?? NS, metricName: p.metric ?? 'CPUUtilization',
  dimensions: p.dims, ts: p.ts, ...(typeof p.v === 'number' ? { value: p.v } : { sampleCount: p.v[0], sum: p.v[1], min: p.v[2], max: p.v[3] }),
});

const dir = mkdtempSync(join(tmpdir(), 'osprey-metrics-insights-'));
let engine: ChdbEngine;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await engine.exec(METRIC_RAW_DDL);
  const payload = Buffer.from(POINTS.map((p) => JSON.stringify(row(p))).join('\n'));
  await engine.insert('metric_raw', METRIC_RAW_COLUMNS, payload, 'JSONCompactEachRow');
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (query: string, opts: Partial<CompileOptions> = {}): Promise<MiSeries[]> => runMetricsInsights(engine, query, { ...OPTS, ...opts });
const labels = (series: MiSeries[]) => series.map((s) => s.label);
const oneSeries = (values: number[], ts = minutes(0, 1, 2, 3, 4), label = 'CPUUtilization'): MiSeries[] =>
  [{ label, timestamps: ts, values }];

test('FROM a namespace aggregates every series of the metric into one, whatever its dimensions', async () => {
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "${NS}"`), oneSeries([123, 133, 243, 153, 163]));
  // 9 samples in minute 2: i-b's StatisticSet counts 4.
  assert.deepEqual(await run(`SELECT COUNT(CPUUtilization) FROM "${NS}"`), oneSeries([5, 5, 9, 5, 5]));
  assert.deepEqual(await run(`SELECT MIN(CPUUtilization) FROM "${NS}"`), oneSeries([1, 1, 1, 1, 1]));
  assert.deepEqual(await run(`SELECT MAX(CPUUtilization) FROM "${NS}"`), oneSeries([100, 100, 100, 100, 100]));
});

test('AVG is the average of all observations in the bucket, weighted by their sample counts', async () => {
  // Minute 2: (30 + 5 + 100 + 1 + 100 + 7) / (1 + 1 + 4 + 1 + 1 + 1) = 243 / 9 = 27, not the mean of series means.
  assert.deepEqual(await run(`SELECT AVG(CPUUtilization) FROM "${NS}"`), oneSeries([24.6, 26.6, 27, 30.6, 32.6]));
});

test('SCHEMA(namespace) keeps only series without dimensions', async () => {
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM SCHEMA("${NS}")`), oneSeries([7, 7, 7, 7, 7]));
});

test('SCHEMA with label keys keeps only series with exactly that dimension set, in any order', async () => {
  const both = oneSeries([16, 26, 136, 46, 56]);
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM SCHEMA("${NS}", InstanceId, InstanceType)`), both);
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM SCHEMA("${NS}", InstanceType, InstanceId)`), both);
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM SCHEMA("${NS}", InstanceType)`), oneSeries([100, 100, 100, 100, 100]));
  // No series has InstanceId alone: the one series of a query without GROUP BY comes back empty.
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM SCHEMA("${NS}", InstanceId)`), [{ label: 'CPUUtilization', timestamps: [], values: [] }]);
});

test('WHERE = and != compare label values; a series without the label matches neither', async () => {
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "${NS}" WHERE InstanceType = 'm5'`), oneSeries([111, 121, 131, 141, 151]));
  // i-b only: the m5 series are excluded, and so is the series without InstanceType.
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "${NS}" WHERE InstanceType != 'm5'`), oneSeries([5, 5, 105, 5, 5]));
  // i-c only: the m5 aggregate has no InstanceId.
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "${NS}" WHERE InstanceType = 'm5' AND InstanceId != 'i-a'`), oneSeries([1, 1, 1, 1, 1]));
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "${NS}" WHERE InstanceType = 'M5'`), [{ label: 'CPUUtilization', timestamps: [], values: [] }],
    'label values are case-sensitive');
});

test('label values with quotes are matched exactly', async () => {
  assert.deepEqual(await run(`SELECT SUM(Quoted) FROM "${NS}" WHERE Name = 'it\\'s "x"' GROUP BY Name`),
    [{ label: 'it\'s "x"', timestamps: [T0], values: [2] }]);
});

test('GROUP BY returns one series per value, alphabetically, with series lacking the key in the null group Other, last', async () => {
  const r = await run(`SELECT SUM(CPUUtilization) FROM "${NS}" GROUP BY InstanceId`);
  assert.deepEqual(r, [
    { label: 'i-a', timestamps: minutes(0, 1, 2, 3, 4), values: [10, 20, 30, 40, 50] },
    { label: 'i-b', timestamps: minutes(0, 1, 2, 3, 4), values: [5, 5, 105, 5, 5] },
    { label: 'i-c', timestamps: minutes(0, 1, 2, 3, 4), values: [1, 1, 1, 1, 1] },
    // The m5 aggregate and the dimensionless series together.
    { label: 'Other', timestamps: minutes(0, 1, 2, 3, 4), values: [107, 107, 107, 107, 107] },
  ]);
});

test('GROUP BY several keys orders by the keys in GROUP BY order and joins the values in the label', async () => {
  const r = await run(`SELECT SUM(CPUUtilization) FROM "${NS}" GROUP BY InstanceType, InstanceId`);
  assert.deepEqual(labels(r), ['c5 i-b', 'm5 i-a', 'm5 i-c', 'm5 Other', 'Other Other']);
  assert.deepEqual(r.map((s) => s.values[0]), [5, 10, 1, 100, 7]);
});

test('ORDER BY ranks series by the function over all their observations in the time range', async () => {
  const order = async (clause: string) => labels(await run(`SELECT SUM(CPUUtilization) FROM "${NS}" GROUP BY InstanceId ${clause}`));
  // Largest observation: Other 100, i-b 90 (its StatisticSet), i-a 50, i-c 1.
  assert.deepEqual(await order('ORDER BY MAX() DESC'), ['Other', 'i-b', 'i-a', 'i-c']);
  // Totals: i-c 5, i-b 125, i-a 150, Other 535.
  assert.deepEqual(await order('ORDER BY SUM() ASC'), ['i-c', 'i-b', 'i-a', 'Other']);
  assert.deepEqual(await order('ORDER BY SUM()'), ['i-c', 'i-b', 'i-a', 'Other'], 'ASC is the default');
  // Samples: Other 10, i-b 9, i-a and i-c 5 each (a tie, broken by the group values).
  assert.deepEqual(await order('ORDER BY COUNT() DESC'), ['Other', 'i-b', 'i-a', 'i-c']);
  // Averages: Other 53.5, i-a 30, i-b 125/9, i-c 1.
  assert.deepEqual(await order('ORDER BY AVG() DESC'), ['Other', 'i-a', 'i-b', 'i-c']);
  // Smallest observation: i-b 1 and i-c 1 (tie), Other 7, i-a 10.
  assert.deepEqual(await order('ORDER BY MIN()'), ['i-b', 'i-c', 'Other', 'i-a']);
});

test('ORDER BY aggregates the observations themselves, not the values the SELECT function returns', async () => {
  // Per-minute counts peak at 5 for i-b and 2 for Other, but Other holds the largest observation (100).
  const r = await run(`SELECT COUNT(CPUUtilization) FROM "${NS}" GROUP BY InstanceId ORDER BY MAX() DESC LIMIT 2`);
  assert.deepEqual(r.map((s) => [s.label, s.values]), [['Other', [2, 2, 2, 2, 2]], ['i-b', [1, 1, 5, 1, 1]]]);
});

test('LIMIT keeps the first series of the result order: a Top N with ORDER BY', async () => {
  assert.deepEqual(labels(await run(`SELECT SUM(CPUUtilization) FROM "${NS}" GROUP BY InstanceId LIMIT 2`)), ['i-a', 'i-b']);
  const top = await run(`SELECT MAX(CPUUtilization) FROM "${NS}" GROUP BY InstanceId ORDER BY SUM() DESC LIMIT 1`);
  assert.deepEqual(top, [{ label: 'Other', timestamps: minutes(0, 1, 2, 3, 4), values: [100, 100, 100, 100, 100] }]);
});

test('buckets start at startTime and step by the period; startTime is inclusive, endTime exclusive', async () => {
  const q = `SELECT SUM(CPUUtilization) FROM "${NS}" WHERE InstanceId = 'i-a'`;
  // The points one minute before and exactly at endTime are left out.
  assert.deepEqual(await run(q), oneSeries([10, 20, 30, 40, 50]));
  assert.deepEqual(await run(q, { period: 300 }), oneSeries([150], [T0]));
  assert.deepEqual(await run(q, { period: 120 }), oneSeries([30, 70, 50], minutes(0, 2, 4)));
  // Buckets follow an unaligned startTime: T0 + 30 s + k minutes; the point at T0 is before it.
  const shifted = T0 + 30_000;
  assert.deepEqual(await run(q, { startTime: shifted }), oneSeries([20, 30, 40, 50], [0, 1, 2, 3].map((k) => shifted + k * MIN)));
  // Metrics Insights aggregates at one minute at least.
  assert.deepEqual(await run(q, { period: 10 }), oneSeries([10, 20, 30, 40, 50]));
});

test('a query only sees its own account and region', async () => {
  const other = await run(`SELECT SUM(CPUUtilization) FROM "${NS}" GROUP BY InstanceId`, { account: '222222222222' });
  assert.deepEqual(other, [{ label: 'i-a', timestamps: [T0], values: [1000] }]);
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "${NS}"`, { region: 'eu-west-1' }), oneSeries([1000], [T0]));
});

test('a GROUP BY query matching nothing returns no series', async () => {
  assert.deepEqual(await run(`SELECT SUM(CPUUtilization) FROM "Nothing/Here" GROUP BY InstanceId`), []);
});
