import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceMetrics } from '../../../protocol/otlp/decode-metrics.ts';
import type { OtlpMetric } from '../../../protocol/otlp/types.ts';
import { CumulativeTracker } from './cumulative.ts';
import { toMetricPoints } from './to-metric-points.ts';

const NOW = 1_795_318_700_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const START = ns(NOW - 60_000);
const scope = { account: '111122223333', region: 'eu-west-1' };

function request(metrics: OtlpMetric[], resource: Record<string, string> = { 'service.namespace': 'shop', 'service.name': 'checkout' }): ResourceMetrics[] {
  return [{ resource: { attributes: resource }, scopes: [{ scope: { name: 'm', version: '', attributes: {} }, metrics }] }];
}
const base = (ms: number, attributes: Record<string, string> = { route: '/pay' }) => ({ attributes, startTimeUnixNano: START, timeUnixNano: ns(ms), flags: 0 });

describe('OTLP metrics → CloudWatch points', () => {
  it('a gauge lands in service.namespace/service.name with its attributes as dimensions and its unit', () => {
    const tracker = new CumulativeTracker(START - 1n);
    const out = toMetricPoints(request([{ name: 'queue.depth', description: '', unit: '{messages}', data: { kind: 'gauge', points: [{ ...base(NOW), value: 7 }] } }]), scope, tracker.begin(), NOW);
    assert.equal(out.rejected, 0);
    assert.deepEqual(out.points, [{
      ...scope, namespace: 'shop/checkout', metricName: 'queue.depth', dimensions: { route: '/pay' }, timestamp: NOW, storageResolution: 60, unit: 'Count',
      sampleCount: 1, sum: 7, min: 7, max: 7, values: [7], counts: [1],
    }]);
  });

  it('namespace falls back to service.name, then to "default"', () => {
    const gauge: OtlpMetric = { name: 'g', description: '', unit: '', data: { kind: 'gauge', points: [{ ...base(NOW), value: 1 }] } };
    const t = new CumulativeTracker(0n);
    assert.equal(toMetricPoints(request([gauge], { 'service.name': 'api' }), scope, t.begin(), NOW).points[0]!.namespace, 'api');
    assert.equal(toMetricPoints(request([gauge], {}), scope, t.begin(), NOW).points[0]!.namespace, 'default');
  });

  it('a cumulative counter is stored as its increases; a restart (new start time) counts from zero', () => {
    const tracker = new CumulativeTracker(START - 1n);
    const counter = (ms: number, value: number, start = START): OtlpMetric => ({
      name: 'orders', description: '', unit: '1', data: { kind: 'sum', temporality: 2, monotonic: true, points: [{ ...base(ms), startTimeUnixNano: start, value }] },
    });
    const sums = [counter(NOW - 30_000, 5), counter(NOW - 20_000, 8), counter(NOW - 20_000, 8), counter(NOW - 10_000, 3, ns(NOW - 15_000))].map((m) => {
      const batch = tracker.begin();
      const pts = toMetricPoints(request([m]), scope, batch, NOW).points;
      batch.commit();
      return pts.map((p) => p.sum);
    });
    // First point: the counter began after the tracker did, so all of it is new. The repeat adds nothing.
    assert.deepEqual(sums, [[5], [3], [], [3]]);
  });

  it('a counter first seen with a start before Osprey started is a baseline only (no double counting after a restart)', () => {
    const tracker = new CumulativeTracker(START + 1n);
    const m = (ms: number, value: number): OtlpMetric => ({ name: 'c', description: '', unit: '', data: { kind: 'sum', temporality: 2, monotonic: true, points: [{ ...base(ms), value }] } });
    const first = tracker.begin();
    assert.deepEqual(toMetricPoints(request([m(NOW - 10_000, 100)]), scope, first, NOW).points, []);
    first.commit();
    assert.deepEqual(toMetricPoints(request([m(NOW, 104)]), scope, tracker.begin(), NOW).points.map((p) => p.sum), [4]);
  });

  it('an uncommitted batch (the store asked for a retry) leaves the series as it was', () => {
    const tracker = new CumulativeTracker(START - 1n);
    const m: OtlpMetric = { name: 'c', description: '', unit: '', data: { kind: 'sum', temporality: 2, monotonic: true, points: [{ ...base(NOW), value: 9 }] } };
    assert.deepEqual(toMetricPoints(request([m]), scope, tracker.begin(), NOW).points.map((p) => p.sum), [9]);
    assert.deepEqual(toMetricPoints(request([m]), scope, tracker.begin(), NOW).points.map((p) => p.sum), [9], 'the retry is stored');
  });

  it('up-down counters and delta sums are stored as sent', () => {
    const t = new CumulativeTracker(0n);
    const upDown: OtlpMetric = { name: 'active', description: '', unit: '', data: { kind: 'sum', temporality: 2, monotonic: false, points: [{ ...base(NOW), value: -2 }] } };
    const delta: OtlpMetric = { name: 'bytes', description: '', unit: 'By', data: { kind: 'sum', temporality: 1, monotonic: true, points: [{ ...base(NOW), value: 512 }] } };
    const pts = toMetricPoints(request([upDown, delta]), scope, t.begin(), NOW).points;
    assert.deepEqual(pts.map((p) => [p.metricName, p.sum, p.unit]), [['active', -2, 'None'], ['bytes', 512, 'Bytes']]);
  });

  it('a delta histogram keeps exact count, sum, min and max, and its buckets as a distribution', () => {
    const h: OtlpMetric = {
      name: 'latency', description: '', unit: 's',
      data: { kind: 'histogram', temporality: 1, points: [{ ...base(NOW), count: 4, sum: 3.1, min: 0.1, max: 2.5, explicitBounds: [0.25, 0.5, 1], bucketCounts: [2, 1, 0, 1] }] },
    };
    const [p] = toMetricPoints(request([h]), scope, new CumulativeTracker(0n).begin(), NOW).points;
    assert.deepEqual(p, {
      ...scope, namespace: 'shop/checkout', metricName: 'latency', dimensions: { route: '/pay' }, timestamp: NOW, storageResolution: 60, unit: 'Seconds',
      // Buckets (−∞,0.25] → 0.25, (0.25,0.5] → 0.375, (1,∞) → 1 clamped into [0.1, 2.5]: stays 1.
      sampleCount: 4, sum: 3.1, min: 0.1, max: 2.5, values: [0.25, 0.375, 1], counts: [2, 1, 1],
    });
  });

  it('a cumulative histogram is stored as its per-bucket increase', () => {
    const tracker = new CumulativeTracker(START - 1n);
    const h = (ms: number, counts: number[], sum: number): OtlpMetric => ({
      name: 'latency', description: '', unit: 'ms',
      data: { kind: 'histogram', temporality: 2, points: [{ ...base(ms), count: counts.reduce((a, b) => a + b, 0), sum, min: 1, max: 900, explicitBounds: [10, 100], bucketCounts: counts }] },
    });
    for (const [m, expected] of [[h(NOW - 10_000, [1, 0, 0], 1), { sampleCount: 1, sum: 1 }], [h(NOW, [1, 2, 1], 1001), { sampleCount: 3, sum: 1000 }]] as const) {
      const batch = tracker.begin();
      const [p] = toMetricPoints(request([m]), scope, batch, NOW).points;
      batch.commit();
      assert.deepEqual({ sampleCount: p!.sampleCount, sum: p!.sum }, expected);
      if (expected.sampleCount === 3) assert.deepEqual([p!.values, p!.counts, p!.min, p!.max], [[55, 100], [2, 1], 55, 100]);
    }
  });

  it('an exponential histogram becomes a distribution around its bucket midpoints', () => {
    const h: OtlpMetric = {
      name: 'size', description: '', unit: 'By',
      data: { kind: 'exponentialHistogram', temporality: 1, points: [{ ...base(NOW), count: 3, sum: 7, scale: 0, zeroCount: 1, positive: { offset: 1, bucketCounts: [1, 1] }, negative: { offset: 0, bucketCounts: [] } }] },
    };
    const [p] = toMetricPoints(request([h]), scope, new CumulativeTracker(0n).begin(), NOW).points;
    // scale 0: base 2; bucket 1 = (2, 4] → 3, bucket 2 = (4, 8] → 6; the zero bucket → 0.
    assert.deepEqual([p!.values, p!.counts, p!.sum, p!.min, p!.max], [[0, 3, 6], [1, 1, 1], 7, 0, 6]);
  });

  it('points CloudWatch would refuse are counted with their reasons; staleness markers are skipped', () => {
    const points = [
      { ...base(NOW), value: Number.NaN },
      { ...base(NOW - 15 * 86_400_000), value: 1 },
      { ...base(NOW + 3 * 3_600_000), value: 1 },
      { ...base(NOW, Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']))), value: 1 },
      { ...base(NOW, { empty: '' }), value: 1 },
      { ...base(NOW), flags: 1, value: 0 },
    ];
    const metrics: OtlpMetric[] = [
      { name: 'g', description: '', unit: '', data: { kind: 'gauge', points } },
      { name: 's', description: '', unit: '', data: { kind: 'summary', points: [{ ...base(NOW), count: 1, sum: 1, quantiles: [] }] } },
      { name: '', description: '', unit: '', data: { kind: 'gauge', points: [{ ...base(NOW), value: 1 }] } },
    ];
    const out = toMetricPoints(request(metrics), scope, new CumulativeTracker(0n).begin(), NOW);
    assert.equal(out.points.length, 0);
    assert.equal(out.rejected, 7);
    assert.match([...out.reasons.keys()].join('\n'), /not a number CloudWatch stores[\s\S]*two weeks old[\s\S]*two hours in the future[\s\S]*at most 30 dimensions[\s\S]*not a valid dimension value[\s\S]*summary data points[\s\S]*no name/);
    const reserved = toMetricPoints(request([metrics[0]!], { 'service.name': 'x', 'service.namespace': 'AWS' }), scope, new CumulativeTracker(0n).begin(), NOW);
    assert.match([...reserved.reasons.keys()][0]!, /reserved for AWS/);
  });

  it('an attribute named __proto__ is a dimension like any other', () => {
    const attributes = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const g: OtlpMetric = { name: 'g', description: '', unit: '', data: { kind: 'gauge', points: [{ ...base(NOW, attributes), value: 1 }] } };
    const [p] = toMetricPoints(request([g]), scope, new CumulativeTracker(0n).begin(), NOW).points;
    assert.deepEqual(Object.entries(p!.dimensions), [['__proto__', 'x'], ['a', 'b']]);
  });
});
