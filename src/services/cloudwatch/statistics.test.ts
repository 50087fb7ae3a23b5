import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStatistic, parseStatistic, percentile } from './statistics.ts';
import type { BucketAggregate } from '../../store/telemetry/metric-reader.ts';

function bucket(values: number[], counts = values.map(() => 1)): BucketAggregate {
  const n = counts.reduce((a, c) => a + c, 0);
  return {
    ts: 0, unit: 'None', sampleCount: n, sum: values.reduce((a, v, i) => a + v * counts[i]!, 0),
    min: Math.min(...values), max: Math.max(...values), distCount: n, distribution: { values, counts },
  };
}
const stat = (text: string, b: BucketAggregate) => computeStatistic(parseStatistic(text)!, b);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('parses every documented statistic form and rejects the rest', () => {
  for (const ok of ['Sum', 'p99', 'p99.9', 'p0', 'p100', 'tm99', 'TM(10%:90%)', 'TM(150:1000)', 'wm98', 'WM(:95%)',
    'PR(:300)', 'PR(100:2000)', 'TC(10%:90%)', 'TS(80%:)', 'IQM', 'ts99']) {
    assert.ok(parseStatistic(ok), ok);
  }
  for (const bad of ['sum', 'p101', 'p', 'pX', 'TM(90%:10%)', 'PR(10%:90%)', 'TM(10%:900)', 'TM(:)', 'Median', 'p99.99999999999']) {
    assert.equal(parseStatistic(bad), undefined, bad);
  }
});

test('standard statistics', () => {
  const b = bucket([1, 2, 3, 10]);
  assert.deepEqual(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'].map((s) => stat(s, b)), [4, 16, 4, 1, 10]);
});

test('percentiles are nearest-rank over the weighted distribution', () => {
  const b = bucket(oneTo(10_000));
  assert.equal(stat('p99', b), 9900);
  assert.equal(stat('p50', b), 5000);
  assert.equal(stat('p100', b), 10_000);
  assert.equal(stat('p0', b), 1);
  assert.equal(percentile([1, 5], [99, 1], 99), 1);
  assert.equal(percentile([1, 5], [99, 1], 99.5), 5);
});

test('trimmed, winsorized, counts, sums and percentile ranks', () => {
  const b = bucket(oneTo(100));
  assert.equal(stat('TM(10%:90%)', b), 50.5); // 11..90
  assert.equal(stat('IQM', b), 50.5); // 26..75
  assert.equal(stat('TC(10%:90%)', b), 80);
  assert.equal(stat('TS(:10%)', b), 55);
  assert.equal(stat('TM(90:100)', b), 95.5); // absolute: 90 < v ≤ 100
  assert.equal(stat('PR(:25)', b), 25);
  assert.equal(stat('WM(10%:90%)', b), (11 * 10 + (11 + 90) * 80 / 2 + 90 * 10) / 100);
  assert.equal(stat('tm99', b), 50); // 1..99
});

test('percentiles are unavailable when part of the period came as a statistic set', () => {
  const b = { ...bucket([1, 2, 3]), sampleCount: 5, distCount: 3 };
  assert.equal(stat('p50', b), undefined);
  assert.equal(stat('SampleCount', b), 5);
});
