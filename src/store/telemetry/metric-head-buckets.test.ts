import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTelemetry, type Telemetry } from './index.ts';
import { MetricReader, type ReadRequest } from './metric-reader.ts';
import type { MetricPoint } from './metric-points.ts';

// The head is flushed only when a test asks (a read through the flushing reader below).
const dir = mkdtempSync(join(tmpdir(), 'osprey-metric-head-buckets-'));
let t: Telemetry;
/** Reads as stored: no head merge, no cache — every read flushes the head first. */
let stored: MetricReader;
before(async () => {
  t = await openTelemetry({ kind: 'chdb', path: dir }, { metricPoints: { flushIntervalMs: 3_600_000 } });
  stored = new MetricReader(t.engine);
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;

const point = (account: string, ts: number, v: number, over: Partial<MetricPoint> = {}): MetricPoint => ({
  account, region: 'us-east-1', namespace: 'App', metricName: 'Latency', dimensions: { Host: 'a', Az: '1' },
  timestamp: ts, storageResolution: 1, unit: 'Milliseconds', sampleCount: 1, sum: v, min: v, max: v, values: [v], counts: [1], ...over,
});

/** Points for every tier: raw (last 3 h), 1 min (15 days), 5 min (63 days); one-value and multi-value, two units, both dimension orders. */
function workload(account: string, shift: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const age of [20 * DAY, 5 * HOUR, 40 * MIN, 7 * MIN]) {
    for (let k = 0; k < 6; k++) {
      const ts = NOW - age + k * 17_000 + shift;
      points.push(point(account, ts, 1.25 * (k + 1) + shift / 1000));
      points.push(point(account, ts + 3_000, 0.5, { dimensions: { Az: '1', Host: 'a' } }));
    }
    points.push(point(account, NOW - age + 2_000, 0, {
      sampleCount: 5, sum: 22.5, min: 0.25, max: 9.75, values: [0.25, 2.5, 9.75], counts: [2, 2, 1],
    }));
    points.push(point(account, NOW - age + 4_000, 3, { unit: 'Count' }));
    // A statistic set without values: counts, but carries no distribution.
    points.push(point(account, NOW - age + 5_000, 0, { sampleCount: 4, sum: 10, min: 1, max: 4, values: [], counts: [] }));
  }
  return points;
}

const series = { namespace: 'App', metricName: 'Latency', dimensions: { Host: 'a', Az: '1' } };
const requests: Array<Omit<ReadRequest, 'account' | 'region' | 'series' | 'now'> & { unit?: string }> = [
  { startTime: NOW - HOUR, endTime: NOW, periodMs: 10_000, distribution: false },
  { startTime: NOW - HOUR, endTime: NOW - 30_000, periodMs: MIN, distribution: true },
  { startTime: NOW - 6 * HOUR, endTime: NOW, periodMs: MIN, distribution: true },
  { startTime: NOW - 6 * HOUR, endTime: NOW, periodMs: MIN, distribution: false, sumAndCountOnly: true },
  { startTime: NOW - 21 * DAY, endTime: NOW, periodMs: 5 * MIN, distribution: true },
  { startTime: NOW - 21 * DAY, endTime: NOW, periodMs: HOUR, distribution: false, unit: 'Count' },
];

/**
 * Every request's buckets. A bucket mixing units reports one of them (BucketAggregate.unit), not
 * always the same one: units are compared only where a request asks for one.
 */
const readAll = async (reader: MetricReader, account: string) => Promise.all(requests.map(async ({ unit, ...r }) => {
  const [buckets] = await reader.read({ ...r, account, region: 'us-east-1', now: NOW, series: [unit === undefined ? series : { ...series, unit }] });
  return buckets!.map((b) => ({ ...b, unit: unit === undefined ? '' : b.unit }));
}));

test('a read answers the same from the head as from the engine, and merges the two bucket by bucket', async () => {
  const a = '111111111111';
  await t.metricPoints.append(workload(a, 0));
  const fromHead = await readAll(t.metricReader, a);
  assert.ok(t.metricPoints.stats().headRows > 0, 'the merged reads did not flush the head');
  assert.ok(fromHead.every((buckets) => buckets.length > 0), 'every request has data');
  assert.deepEqual(fromHead, await readAll(stored, a));
  assert.equal(t.metricPoints.stats().headRows, 0);

  // Same buckets again, the first half stored and the second in the head.
  await t.metricPoints.append(workload(a, 1_000));
  const merged = await readAll(t.metricReader, a);
  assert.ok(t.metricPoints.stats().headRows > 0);
  assert.deepEqual(merged, await readAll(stored, a));
});

test('the head gives a series only its own points: other accounts, series and units stay out', async () => {
  const a = '222222222222';
  await t.metricPoints.append([
    point('333333333333', NOW - 5 * MIN, 100),
    point(a, NOW - 5 * MIN, 100, { dimensions: { Host: 'b', Az: '1' } }),
    point(a, NOW - 5 * MIN, 100, { metricName: 'Other' }),
    point(a, NOW - 5 * MIN, 2),
  ]);
  const read = (unit?: string) => t.metricReader.read({
    account: a, region: 'us-east-1', series: [{ ...series, unit }], startTime: NOW - HOUR, endTime: NOW, periodMs: HOUR, now: NOW, distribution: false,
  });
  assert.deepEqual((await read())[0]!.map((b) => [b.sampleCount, b.sum, b.max]), [[1, 2, 2]]);
  assert.deepEqual((await read('Count'))[0], []);
});
