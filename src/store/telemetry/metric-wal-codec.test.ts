import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMetricRecord, encodeMetricRecord } from './metric-wal-codec.ts';
import type { MetricPoint } from './metric-point.ts';

const base: MetricPoint = {
  account: '123456789012', region: 'us-east-1', namespace: 'App', metricName: 'Latency', dimensions: { Host: 'a', Az: 'z' },
  timestamp: 1_764_900_000_000, storageResolution: 60, unit: 'Milliseconds',
  sampleCount: 1, sum: 5, min: 5, max: 5, values: [5], counts: [1],
};

test('points round-trip exactly, whatever fields repeat', () => {
  const points: MetricPoint[] = [
    base,
    { ...base, dimensions: { Host: 'b' }, sum: -0.1, min: -0.1, max: -0.1, values: [-0.1] },
    { ...base, unit: 'Count', storageResolution: 1, timestamp: 1 },
    { ...base, sampleCount: 3, sum: 6, min: 1, max: 3, values: [1, 2, 3], counts: [1, 1, 1] },
    { ...base, sampleCount: 10, sum: 1e308, min: -1e-300, max: 1e308, values: [], counts: [] },
    { ...base, sampleCount: 1, sum: -0, min: -0, max: -0, values: [-0], counts: [1] },
    { ...base, account: '2', region: 'eu-west-1', namespace: 'ns ü 😀', metricName: 'm\0"\n', dimensions: {}, sum: 2, values: [5] },
    { ...base, sampleCount: 1, sum: 5, min: 5, max: 5, values: [5], counts: [2] },
  ];
  const back = decodeMetricRecord(encodeMetricRecord(points));
  assert.deepEqual(back, points);
  assert.ok(Object.is(back[5]!.sum, -0));
  assert.deepEqual(decodeMetricRecord(encodeMetricRecord([])), []);
});

test('a single-value datum of a repeated metric takes ~30 bytes', () => {
  const points = Array.from({ length: 1000 }, (_, i) => ({ ...base, dimensions: { host: `h${i}` }, sum: i, min: i, max: i, values: [i] }));
  const bytes = encodeMetricRecord(points).length;
  assert.ok(bytes / points.length < 32, `${bytes / points.length} bytes a point`);
});

test('bad points are refused before encoding; a truncated record does not decode', () => {
  assert.throws(() => encodeMetricRecord([base, { ...base, sampleCount: 0 }]), RangeError);
  const buf = encodeMetricRecord([base, { ...base, values: [1, 2], counts: [1, 1], sampleCount: 2 }]);
  for (const cut of [1, 5, buf.length - 1]) assert.throws(() => decodeMetricRecord(buf.subarray(0, cut)), RangeError);
  assert.throws(() => decodeMetricRecord(Buffer.concat([buf, Buffer.from([0])])), RangeError);
});
