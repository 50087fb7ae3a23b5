import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTelemetry, type Telemetry } from './index.ts';
import { planSegments, type ReadRequest } from './metric-reader.ts';
import type { MetricPoint } from './metric-points.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-metric-reader-'));
let t: Telemetry;
before(async () => {
  t = await openTelemetry({ kind: 'chdb', path: dir });
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;
let accounts = 0;

const point = (account: string, over: Partial<MetricPoint>): MetricPoint => ({
  account, region: 'us-east-1', namespace: 'App', metricName: 'Latency', dimensions: { Host: 'a' },
  timestamp: NOW - MIN, storageResolution: 60, unit: 'Milliseconds',
  sampleCount: 1, sum: 1, min: 1, max: 1, values: [1], counts: [1], ...over,
});
const read = (account: string, over: Partial<ReadRequest> = {}) => t.metricReader.read({
  account, region: 'us-east-1', series: [{ namespace: 'App', metricName: 'Latency', dimensions: { Host: 'a' } }],
  startTime: NOW - 2 * HOUR, endTime: NOW, periodMs: HOUR, now: NOW, distribution: false, ...over,
});

/** 10,000 values spread over four orders of magnitude, and their exact nearest-rank p99. */
function knownValues(seed: number): { values: number[]; p99: number } {
  let x = seed;
  const values = Array.from({ length: 10_000 }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.round(Math.exp((x / 2 ** 31) * 9) * 1000) / 1000;
  });
  const sorted = [...values].sort((a, b) => a - b);
  return { values, p99: sorted[Math.ceil(0.99 * sorted.length) - 1]! };
}

async function p99Through(account: string, ts: number, periodMs: number): Promise<{ got: number; exact: number }> {
  const { values, p99 } = knownValues(accounts * 7919);
  // 100 observations of 100 values each, as PutMetricData would send them.
  const points = Array.from({ length: 100 }, (_, i) => {
    const vs = values.slice(i * 100, i * 100 + 100);
    return point(account, { timestamp: ts + i * 1000, values: vs, counts: vs.map(() => 1),
      sampleCount: 100, sum: vs.reduce((a, b) => a + b, 0), min: Math.min(...vs), max: Math.max(...vs) });
  });
  await t.metricPoints.append(points);
  const start = Math.floor(ts / periodMs) * periodMs;
  const [buckets] = await read(account, { startTime: start, endTime: start + periodMs, periodMs, distribution: true });
  assert.equal(buckets!.length, 1);
  const b = buckets![0]!;
  assert.equal(b.sampleCount, 10_000);
  let cum = 0;
  const d = b.distribution!;
  const i = d.counts.findIndex((c) => (cum += c) >= 9_900);
  return { got: d.values[i]!, exact: p99 };
}

test('p99 of 10,000 known values is exact on raw points and within 1 % on every rollup tier', async () => {
  for (const [name, ts, period, exact] of [
    ['raw (last 3 h)', NOW - 2 * HOUR, 60 * MIN, true],
    ['1 min rollup', NOW - 5 * HOUR, 60 * MIN, false],
    ['5 min rollup', NOW - 20 * DAY, 60 * MIN, false],
    ['1 h rollup', NOW - 100 * DAY, 60 * MIN, false],
  ] as const) {
    const account = String(++accounts);
    const { got, exact: want } = await p99Through(account, ts, period);
    if (exact) assert.equal(got, want, name);
    else assert.ok(Math.abs(got - want) / want <= 0.01, `${name}: ${got} vs exact ${want}`);
  }
});

test('tiers follow the retention schedule: data past a tier\'s age is served by a coarser one or not at all', () => {
  const tables = (start: number, end: number, period: number, exact = false) =>
    planSegments(start, end, period, NOW, exact).map((s) => s.table);
  assert.deepEqual(tables(NOW - 2 * HOUR, NOW, MIN), ['metric_tier_1m_v2']);
  assert.deepEqual(tables(NOW - 2 * HOUR, NOW, MIN, true), ['metric_raw']);
  assert.deepEqual(tables(NOW - 2 * HOUR, NOW, 10_000), ['metric_raw']);
  assert.deepEqual(tables(NOW - 4 * HOUR, NOW - 3.5 * HOUR, 10_000), [], 'sub-minute data lives 3 h');
  assert.deepEqual(tables(NOW - 16 * DAY, NOW - 15.5 * DAY, MIN), [], '1 min data lives 15 days');
  assert.deepEqual(tables(NOW - 16 * DAY, NOW - 15.5 * DAY, 5 * MIN), ['metric_tier_5m']);
  assert.deepEqual(tables(NOW - 64 * DAY, NOW - 63.5 * DAY, 5 * MIN), [], '5 min data lives 63 days');
  assert.deepEqual(tables(NOW - 64 * DAY, NOW - 63 * DAY, HOUR), ['metric_tier_1h']);
  assert.deepEqual(tables(NOW - 456 * DAY, NOW - 455.5 * DAY, HOUR), [], '1 h data lives 455 days');
  assert.deepEqual(tables(NOW - 20 * DAY, NOW, HOUR), ['metric_tier_5m', 'metric_tier_1m_v2']);
});

test('a cached read never hides a later write', async () => {
  const a = String(++accounts);
  await t.metricPoints.append([point(a, { timestamp: NOW - 90 * MIN, sum: 5, values: [5], min: 5, max: 5 })]);
  const [first] = await read(a);
  assert.deepEqual(first!.map((b) => b.sum), [5]);
  assert.deepEqual((await read(a))[0]!.map((b) => b.sum), [5], 'cached');
  await t.metricPoints.append([point(a, { timestamp: NOW - 80 * MIN, sum: 7, values: [7], min: 7, max: 7 })]);
  assert.deepEqual((await read(a))[0]!.map((b) => b.sum), [12]);
  await t.metricPoints.append([point(a, { timestamp: NOW - 30 * MIN, sum: 1 })]);
  assert.deepEqual((await read(a))[0]!.map((b) => b.sum), [12, 1]);
});

test('a sum-and-count read (Average) gives the same counts and sums, and never serves a later Maximum from its cache', async () => {
  const a = String(++accounts);
  // One-value minutes in the plain 1 min tier, a multi-value minute, and points in the raw tier.
  await t.metricPoints.append([
    point(a, { timestamp: NOW - 5 * HOUR, sum: 4, values: [4], min: 4, max: 4 }),
    point(a, { timestamp: NOW - 5 * HOUR + MIN, sampleCount: 2, sum: 10, min: 3, max: 7, values: [3, 7], counts: [1, 1] }),
    point(a, { timestamp: NOW - 30 * MIN, sum: 9, values: [9], min: 9, max: 9 }),
  ]);
  for (const periodMs of [MIN, HOUR]) {
    const req = { startTime: NOW - 6 * HOUR, endTime: NOW, periodMs };
    const lean = (await read(a, { ...req, sumAndCountOnly: true }))[0]!;
    const full = (await read(a, req))[0]!;
    assert.deepEqual(lean.map((b) => [b.ts, b.sampleCount, b.sum]), full.map((b) => [b.ts, b.sampleCount, b.sum]), `period ${periodMs}`);
    assert.ok(lean.every((b) => b.min === 0 && b.max === 0));
    assert.deepEqual(full.map((b) => [b.min, b.max]), periodMs === MIN ? [[4, 4], [3, 7], [9, 9]] : [[3, 7], [9, 9]]);
  }
  // A 10 s period reads raw points.
  const raw = { startTime: NOW - HOUR, endTime: NOW, periodMs: 10_000 };
  assert.deepEqual((await read(a, { ...raw, sumAndCountOnly: true }))[0]!.map((b) => [b.sampleCount, b.sum, b.max]), [[1, 9, 0]]);
  assert.deepEqual((await read(a, raw))[0]!.map((b) => [b.sampleCount, b.sum, b.max]), [[1, 9, 9]]);
});

test('the unfinished current period is read with what has arrived so far, and grows through the cache', async () => {
  const a = String(++accounts);
  const now = Date.now();
  const minute = Math.floor(now / MIN) * MIN;
  // The bucket that holds "now": GetMetricData asks for it up to its end, which is still ahead.
  const current = { startTime: minute - 4 * MIN, endTime: minute + MIN, periodMs: MIN, now };
  await t.metricPoints.append([point(a, { timestamp: now, sum: 2, values: [2], min: 2, max: 2 })]);
  assert.deepEqual((await read(a, current))[0]!.map((b) => [b.ts, b.sum]), [[minute, 2]]);
  assert.deepEqual((await read(a, current))[0]!.map((b) => [b.ts, b.sum]), [[minute, 2]], 'cached');
  await t.metricPoints.append([point(a, { timestamp: now, sum: 3, values: [3], min: 3, max: 3 })]);
  assert.deepEqual((await read(a, current))[0]!.map((b) => [b.ts, b.sum]), [[minute, 5]], 'the write invalidated the partial bucket');
  // Same at a sub-minute period (raw points) and at a period of several minutes (1 min tier).
  const sub = Math.floor(now / 10_000) * 10_000;
  assert.deepEqual((await read(a, { startTime: sub - 20_000, endTime: sub + 10_000, periodMs: 10_000, now }))[0]!.map((b) => [b.ts, b.sum]), [[sub, 5]]);
  const five = Math.floor(now / (5 * MIN)) * 5 * MIN;
  assert.deepEqual((await read(a, { startTime: five - 5 * MIN, endTime: five + 5 * MIN, periodMs: 5 * MIN, now }))[0]!.map((b) => [b.ts, b.sum]), [[five, 5]]);
});

test('a read of two series across two tiers returns each series\' buckets in time order, partial rows folded', async () => {
  const a = String(++accounts);
  const hosts = ['a', 'b'];
  // 18 and 17 days back: the 5 min tier; 2 days back, twice (two flushes, two rows of the plain 1 min tier).
  const times = [NOW - 18 * DAY, NOW - 17 * DAY, NOW - 2 * DAY, NOW - 2 * DAY + 1000];
  for (const ts of [...times].reverse()) {
    await t.metricPoints.append(hosts.map((h) => point(a, { dimensions: { Host: h }, timestamp: ts, sum: h === 'a' ? 1 : 2 })));
  }
  const series = hosts.map((h) => ({ namespace: 'App', metricName: 'Latency', dimensions: { Host: h } }));
  const [sa, sb] = await read(a, { series, startTime: NOW - 20 * DAY, endTime: NOW, periodMs: HOUR });
  const hour = (ts: number) => Math.floor(ts / HOUR) * HOUR;
  const expected = (v: number) => [[hour(times[0]!), 1, v], [hour(times[1]!), 1, v], [hour(times[2]!), 2, 2 * v]];
  assert.deepEqual(sa!.map((b) => [b.ts, b.sampleCount, b.sum]), expected(1));
  assert.deepEqual(sb!.map((b) => [b.ts, b.sampleCount, b.sum]), expected(2));
});

test('listSeries filters by namespace, name, dimension name and value, and pages', async () => {
  const a = String(++accounts);
  await t.metricPoints.append([
    point(a, { dimensions: { Host: 'a' } }), point(a, { dimensions: { Host: 'b', Zone: 'z1' } }),
    point(a, { metricName: 'Errors', dimensions: {} }), point(a, { namespace: 'Other', dimensions: { Host: 'a' } }),
  ]);
  const list = async (over: object = {}) => (await t.metricReader.listSeries({ account: a, region: 'us-east-1', now: Date.now(), offset: 0, limit: 100, ...over }))
    .map((m) => `${m.namespace}/${m.metricName}/${JSON.stringify(m.dimensions)}`);
  assert.deepEqual(await list(), ['App/Errors/{}', 'App/Latency/{"Host":"a"}', 'App/Latency/{"Host":"b","Zone":"z1"}', 'Other/Latency/{"Host":"a"}']);
  assert.deepEqual(await list({ namespace: 'App', metricName: 'Latency', dimensions: [{ name: 'Zone' }] }), ['App/Latency/{"Host":"b","Zone":"z1"}']);
  assert.deepEqual(await list({ dimensions: [{ name: 'Host', value: 'a' }] }), ['App/Latency/{"Host":"a"}', 'Other/Latency/{"Host":"a"}']);
  assert.deepEqual(await list({ offset: 1, limit: 2 }), ['App/Latency/{"Host":"a"}', 'App/Latency/{"Host":"b","Zone":"z1"}']);
  assert.deepEqual(await list({ activeSince: Date.now() + HOUR }), []);
});

test('many series in one read (the set path) give each series exactly its own buckets', async () => {
  const a = String(++accounts);
  const dims = Array.from({ length: 60 }, (_, i): Record<string, string> => {
    if (i === 0) return {};
    if (i === 1) return { Host: "it's \\ odd" };
    return { Host: `h${i}`, Zone: `z${i % 3}` };
  });
  await t.metricPoints.append(dims.map((d, i) => point(a, { dimensions: d, timestamp: NOW - 30 * MIN, sum: i, min: i, max: i, values: [i] })));
  const series = [...dims.map((d) => ({ namespace: 'App', metricName: 'Latency', dimensions: d })), { namespace: 'App', metricName: 'Latency', dimensions: { Host: 'none' } }];
  const many = await read(a, { series });
  assert.equal(many.length, 61);
  many.slice(0, 60).forEach((b, i) => assert.deepEqual(b.map((x) => x.sum), [i], `series ${i}`));
  assert.deepEqual(many[60], []);
  // Same answers as one series at a time (the per-series path).
  for (const i of [0, 1, 37]) assert.deepEqual((await read(a, { series: [series[i]!] }))[0]!.map((x) => x.sum), [i]);
});
