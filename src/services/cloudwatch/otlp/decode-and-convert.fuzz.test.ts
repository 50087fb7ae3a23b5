import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { protobufBodies } from '../../../protocol/otlp/fuzz-bodies.ts';
import { decodeMetrics } from '../../../protocol/otlp/decode-metrics.ts';
import { ExportMetricsServiceRequest } from '../../../protocol/otlp/proto.ts';
import { OtlpDecodeError } from '../../../protocol/otlp/values.ts';
import { checkPoint } from '../../../store/telemetry/metric-point.ts';
import { CumulativeTracker } from './cumulative.ts';
import { toMetricPoints } from './to-metric-points.ts';

const NOW = 1_795_318_700_000;
const t = String(BigInt(NOW) * 1_000_000n);
const VALID = Buffer.from(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject({ resource_metrics: [{ scope_metrics: [{ metrics: [
  { name: 'h', unit: 'ms', histogram: { aggregation_temporality: 2, data_points: [{ start_time_unix_nano: t, time_unix_nano: t, count: '3', sum: 9, bucket_counts: ['1', '1', '1'], explicit_bounds: [1, 5], min: 0.5, max: 7 }] } },
  { name: 'e', exponential_histogram: { aggregation_temporality: 1, data_points: [{ time_unix_nano: t, count: '2', scale: 2, zero_count: '1', positive: { offset: 3, bucket_counts: ['1'] } }] } },
  { name: 'c', sum: { aggregation_temporality: 2, is_monotonic: true, data_points: [{ start_time_unix_nano: t, time_unix_nano: t, as_int: '4', attributes: [{ key: 'a', value: { string_value: 'b' } }] }] } },
] }] }] })).finish());

/** Decoding refuses only with OtlpDecodeError; whatever decodes converts into points the store accepts. */
function total(body: Buffer, contentType: string): void {
  try {
    const { points } = toMetricPoints(decodeMetrics(body, contentType), { account: '1', region: 'r' }, new CumulativeTracker(0n).begin(), NOW);
    points.forEach(checkPoint);
  } catch (e) {
    assert.ok(e instanceof OtlpDecodeError, `${contentType} ${body.toString('hex').slice(0, 80)} threw ${String(e)}`);
  }
}

describe('OTLP metrics: fuzzing the decoder and the conversion', () => {
  it('the seed converts', () => {
    const { points } = toMetricPoints(decodeMetrics(VALID, 'application/x-protobuf'), { account: '1', region: 'r' }, new CumulativeTracker(0n).begin(), NOW);
    assert.deepEqual(points.map((p) => p.metricName), ['h', 'e', 'c']);
  });
  it('damaged and truncated protobuf bodies', () => {
    fc.assert(fc.property(protobufBodies(VALID), (b) => total(b, 'application/x-protobuf')), { numRuns: 3000 });
  });
  it('arbitrary JSON in every field', () => {
    const v = fc.jsonValue({ maxDepth: 4 });
    const shaped = fc.tuple(v, v, v).map(([a, b, c]) => ({ resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: 'h', histogram: { aggregationTemporality: a, dataPoints: [{ count: b, sum: c, bucketCounts: a, explicitBounds: b, min: c, max: a }] } },
      { name: 'e', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ count: a, scale: b, positive: c, zeroCount: a, timeUnixNano: t }] } },
      { name: 'g', gauge: { dataPoints: [{ asDouble: a, asInt: b, attributes: c, timeUnixNano: t }] } },
    ] }] }] }));
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped), (x) => total(Buffer.from(JSON.stringify(x)), 'application/json')), { numRuns: 3000 });
  });
});
