// The metric head writes metric_raw, the three tiers and metric_series itself (no views): its rows
// must be what the views computed, under the engine's series ids, and a retried or replayed flush
// (same token) must not count a sample twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { MetricHead } from './metric-head.ts';
import type { MetricPoint } from './metric-point.ts';
import { tierColumnsSql } from './metric-minute-tier.ts';
import { MINUTE_TIER_TABLE, ROLLUP_TIERS, SERIES_ID_SQL, type RollupTier } from './metric-rollups.ts';
import { sketchKeySql } from './metric-sketch.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-metric-head-'));
let engine: ChdbEngine;
const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;
let accounts = 300000000000;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await migrate(engine);
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function point(account: string, over: Partial<MetricPoint> = {}): MetricPoint {
  return {
    account, region: 'r', namespace: 'App', metricName: 'Latency', dimensions: { Host: 'a', Az: 'z' },
    timestamp: NOW - HOUR, storageResolution: 60, unit: 'Milliseconds',
    sampleCount: 1, sum: 5, min: 5, max: 5, values: [5], counts: [1], ...over,
  };
}

/** A tier's rows per bucket, read as the readers do (one-value rows of the 1 min tier resolved from sum). */
const tierSql = (tier: RollupTier, account: string) => {
  const c = tierColumnsSql(tier);
  return `SELECT toString(series) AS series, unit, toString(ts) AS ts,
    sum(sample_count) AS n, sum(sum) AS s, min(${c.min}) AS lo, max(${c.max}) AS hi, sum(dist_count) AS dc, toString(sumMap(${c.sketch})) AS sk
  FROM ${tier.table} WHERE series IN (SELECT ${SERIES_ID_SQL} FROM metric_raw WHERE account = '${account}')
  GROUP BY series, unit, ts ORDER BY series, unit, ts`;
};

/** What the 1 min view computed from metric_raw (migration 0007), for comparison. */
const viewSql = (resolution: number, account: string) => `SELECT toString(${SERIES_ID_SQL}) AS series, unit,
    toString(intDiv(ts, ${resolution}) * ${resolution}) AS ts, sum(sample_count) AS n, sum(sum) AS s, min(min) AS lo, max(max) AS hi,
    sum(arraySum(counts)) AS dc, toString(sumMap(arrayMap(v -> ${sketchKeySql('v')}, values), counts)) AS sk
  FROM metric_raw WHERE account = '${account}' GROUP BY series, unit, ts ORDER BY series, unit, ts`;

test('tier rows equal what the views computed, under the engine-computed series id', async () => {
  const a = String(accounts++);
  const head = new MetricHead(engine);
  head.add([
    point(a),
    point(a, { timestamp: NOW - HOUR + 30_000, sampleCount: 3, sum: 6, min: 1, max: 3, values: [1, 2, 3], counts: [1, 1, 1] }),
    point(a, { timestamp: NOW - HOUR + 61_000, unit: 'Seconds', values: [], counts: [], sum: 7, min: 7, max: 7 }),
    point(a, { timestamp: NOW - HOUR + 6 * 60_000, dimensions: { Host: 'b' }, values: [-0.5, 1e-300], counts: [2, 1], sampleCount: 3, sum: -1, min: -0.5, max: 1e-300 }),
    point(a, { timestamp: NOW - 2 * HOUR + 17, dimensions: {}, namespace: 'Other ü', metricName: 'N\t"x"' }),
  ]);
  assert.equal(head.rows, 5);
  await head.drain().insert('t1');
  for (const tier of ROLLUP_TIERS) {
    assert.deepEqual(await engine.query(tierSql(tier, a)), await engine.query(viewSql(tier.resolutionMs, a)), tier.table);
  }
  // One-value minutes keep their value once: NaN min/max and an empty sketch (metric-minute-tier.ts).
  const stored = await engine.query<{ ts: string; lo: number; sk: string }>(`SELECT toString(ts) AS ts, min AS lo, toString(sketch) AS sk
    FROM ${MINUTE_TIER_TABLE} WHERE series IN (SELECT ${SERIES_ID_SQL} FROM metric_raw WHERE account = '${a}') ORDER BY series, unit, ts`);
  // (NaN arrives as null in JSON.) Only the one-value minute (the 'Other ü' point); a statistic set
  // without a distribution and the minutes of several points keep theirs.
  assert.deepEqual(stored.map((r) => [r.ts, r.lo, r.sk === '([],[])']),
    [[String(NOW - 2 * HOUR), null, true], [String(NOW - HOUR + 6 * 60_000), -0.5, false], [String(NOW - HOUR), 1, false], [String(NOW - HOUR + 60_000), 7, true]]);
  const listed = await engine.query<{ n: string }>(`SELECT toString(count()) AS n FROM metric_series WHERE account = '${a}'`);
  assert.equal(listed[0]!.n, '3');
});

test('an interval split over two flushes reads as one; the same token twice stores once', async () => {
  const a = String(accounts++);
  const head = new MetricHead(engine);
  head.add([point(a, { sum: 1, min: 1, max: 1, values: [1] })]);
  const first = head.drain();
  await first.insert('split-1');
  await first.insert('split-1'); // a retry after an insert that had landed
  head.add([point(a, { timestamp: NOW - HOUR + 1, sum: 2, min: 2, max: 2, values: [2] })]);
  await head.drain().insert('split-2');
  assert.equal(head.rows, 0);
  for (const tier of ROLLUP_TIERS) {
    const rows = await engine.query<{ n: number; s: number; lo: number; hi: number }>(tierSql(tier, a));
    assert.deepEqual(rows.map((r) => [r.n, r.s, r.lo, r.hi]), [[2, 3, 1, 2]], tier.table);
  }
  const raw = await engine.query<{ n: string }>(`SELECT toString(count()) AS n FROM metric_raw WHERE account = '${a}'`);
  assert.equal(raw[0]!.n, '2');
});

test('points older than the raw retention go to the tiers only', async () => {
  const a = String(accounts++);
  const head = new MetricHead(engine);
  head.add([point(a, { timestamp: NOW - 5 * HOUR }), point(a)]);
  await head.drain().insert('old');
  const raw = await engine.query<{ n: string }>(`SELECT toString(count()) AS n FROM metric_raw WHERE account = '${a}'`);
  assert.equal(raw[0]!.n, '1');
  const hour = await engine.query<{ n: number }>(`SELECT sum(sample_count) AS n FROM metric_tier_1h WHERE ts = ${NOW - 5 * HOUR}
    AND series IN (SELECT ${SERIES_ID_SQL} FROM metric_raw WHERE account = '${a}')`);
  assert.equal(hour[0]!.n, 1);
});

test('metric_series rows: on first sight, then at most once a minute', async () => {
  const a = String(accounts++);
  let now = NOW;
  const head = new MetricHead(engine, { now: () => now });
  head.add([point(a, { timestamp: NOW - 60_000 }), point(a, { timestamp: NOW - 30_000 })]);
  await head.drain().insert('s1');
  now += 30_000;
  head.add([point(a, { timestamp: NOW })]);
  await head.drain().insert('s2');
  now += 31_000;
  head.add([point(a, { timestamp: NOW + 1 })]);
  await head.drain().insert('s3');
  const rows = await engine.query<{ last_ts: string; last_publish: string }>(
    `SELECT toString(last_ts) AS last_ts, toString(last_publish) AS last_publish FROM metric_series WHERE account = '${a}' ORDER BY last_publish`);
  assert.deepEqual(rows, [{ last_ts: String(NOW - 30_000), last_publish: String(NOW) }, { last_ts: String(NOW + 1), last_publish: String(NOW + 61_000) }]);
});
