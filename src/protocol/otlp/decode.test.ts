import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLogs } from './decode-logs.ts';
import { decodeMetrics } from './decode-metrics.ts';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest } from './proto.ts';
import { OtlpDecodeError } from './values.ts';

const PROTO = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const encode = (type: typeof ExportLogsServiceRequest, o: object) => Buffer.from(type.encode(type.fromObject(o)).finish());

describe('OTLP logs decoding', () => {
  const record = {
    time_unix_nano: '1741900000000000000', observed_time_unix_nano: '1741900000500000000', severity_number: 17, severity_text: 'ERROR',
    body: { string_value: 'card declined' }, attributes: [{ key: 'user.id', value: { int_value: 12345 } }],
    trace_id: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), span_id: Buffer.from('eee19b7ec3c1b174', 'hex'), flags: 1, event_name: 'payment.failed',
  };
  const expected = {
    timeUnixNano: 1741900000000000000n, observedTimeUnixNano: 1741900000500000000n, severityNumber: 17, severityText: 'ERROR',
    body: 'card declined', attributes: { 'user.id': 12345n }, flags: 1, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', eventName: 'payment.failed',
  };

  it('protobuf and OTLP/JSON decode to the same records, with resource and scope', () => {
    const proto = encode(ExportLogsServiceRequest, { resource_logs: [{ resource: { attributes: [{ key: 'service.name', value: { string_value: 'pay' } }] }, scope_logs: [{ scope: { name: 'lib', version: '1' }, log_records: [record] }] }] });
    const json = Buffer.from(JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pay' } }] }, scopeLogs: [{ scope: { name: 'lib', version: '1' }, logRecords: [{
      timeUnixNano: '1741900000000000000', observedTimeUnixNano: '1741900000500000000', severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'card declined' },
      attributes: [{ key: 'user.id', value: { intValue: '12345' } }], traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', flags: 1, eventName: 'payment.failed',
    }] }] }] }));
    for (const [body, type] of [[proto, PROTO], [json, JSON_TYPE]] as const) {
      const [rl] = decodeLogs(body, type);
      assert.deepEqual(rl!.resource.attributes, { 'service.name': 'pay' });
      assert.deepEqual(rl!.scopes[0]!.scope, { name: 'lib', version: '1', attributes: {} });
      assert.deepEqual(rl!.scopes[0]!.records, [expected]);
    }
  });

  it('absent ids are empty, malformed ones are the sender\'s error', () => {
    const [rl] = decodeLogs(Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }] })), JSON_TYPE);
    assert.deepEqual([rl!.scopes[0]!.records[0]!.traceId, rl!.scopes[0]!.records[0]!.spanId], ['', '']);
    assert.throws(() => decodeLogs(Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'xyz' }] }] }] })), JSON_TYPE), OtlpDecodeError);
    assert.throws(() => decodeLogs(Buffer.from('{"resourceLogs": 5}'), JSON_TYPE), /Expected a list of objects/);
    assert.throws(() => decodeLogs(Buffer.from([0x0a, 0xff]), PROTO), /not a valid OTLP ExportLogsServiceRequest \(protobuf\)/);
  });
});

describe('OTLP metrics decoding', () => {
  const attrs = [{ key: 'route', value: { string_value: '/pay' } }];
  it('gauges, sums, histograms, exponential histograms and summaries, from protobuf', () => {
    const body = encode(ExportMetricsServiceRequest, { resource_metrics: [{ scope_metrics: [{ metrics: [
      { name: 'g', unit: '1', gauge: { data_points: [{ attributes: attrs, time_unix_nano: '2000', as_int: '-3' }] } },
      { name: 's', sum: { aggregation_temporality: 2, is_monotonic: true, data_points: [{ start_time_unix_nano: '1000', time_unix_nano: '2000', as_double: 0 }] } },
      { name: 'h', histogram: { aggregation_temporality: 1, data_points: [{ count: '3', sum: 0, bucket_counts: ['1', '2'], explicit_bounds: [5] }] } },
      { name: 'e', exponential_histogram: { aggregation_temporality: 1, data_points: [{ count: '2', scale: 3, zero_count: '1', positive: { offset: -2, bucket_counts: ['1'] }, min: 0, max: 0.9 }] } },
      { name: 'q', summary: { data_points: [{ count: '4', sum: 10, quantile_values: [{ quantile: 0.5, value: 2 }] }] } },
    ] }] }] });
    const [m] = decodeMetrics(body, PROTO);
    const [g, s, h, e, q] = m!.scopes[0]!.metrics;
    assert.deepEqual(g!.data, { kind: 'gauge', points: [{ attributes: { route: '/pay' }, startTimeUnixNano: 0n, timeUnixNano: 2000n, flags: 0, value: -3 }] });
    assert.deepEqual(s!.data, { kind: 'sum', temporality: 2, monotonic: true, points: [{ attributes: {}, startTimeUnixNano: 1000n, timeUnixNano: 2000n, flags: 0, value: 0 }] });
    // A sum of 0 was sent (proto3 `optional`): present; min and max were not: absent.
    assert.deepEqual(h!.data.points[0], { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0, count: 3, sum: 0, bucketCounts: [1, 2], explicitBounds: [5] });
    assert.deepEqual(e!.data.points[0], {
      attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0, count: 2, min: 0, max: 0.9, scale: 3, zeroCount: 1,
      positive: { offset: -2, bucketCounts: [1] }, negative: { offset: 0, bucketCounts: [] },
    });
    assert.deepEqual(q!.data, { kind: 'summary', points: [{ attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0, count: 4, sum: 10, quantiles: [{ quantile: 0.5, value: 2 }] }] });
  });

  it('OTLP/JSON: asInt as a string, 64-bit counts as strings, doubles as numbers', () => {
    const body = Buffer.from(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: 'c', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: '2000', asInt: '9007199254740993' }] } },
      { name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ count: '2', sum: 1.5, bucketCounts: ['0', '2'], explicitBounds: [1] }] } },
    ] }] }] }));
    const [c, h] = decodeMetrics(body, JSON_TYPE)[0]!.scopes[0]!.metrics;
    assert.deepEqual(c!.data.points[0], { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 2000n, flags: 0, value: 9007199254740992 });
    assert.deepEqual(h!.data.points[0], { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0, count: 2, sum: 1.5, bucketCounts: [0, 2], explicitBounds: [1] });
  });

  it('histograms whose buckets do not match their bounds are the sender\'s error', () => {
    const bad = (dp: object) => Buffer.from(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [dp] } }] }] }] }));
    assert.throws(() => decodeMetrics(bad({ count: '1', bucketCounts: ['1'], explicitBounds: [1] }), JSON_TYPE), /needs bounds \+ 1/);
    assert.throws(() => decodeMetrics(bad({ count: '1', bucketCounts: ['1', '0', '0'], explicitBounds: [2, 1] }), JSON_TYPE), /strictly increasing/);
    assert.throws(() => decodeMetrics(bad({ count: '-1' }), JSON_TYPE), /count must be an unsigned integer/);
  });
});
