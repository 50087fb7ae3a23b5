import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { encodeOtel07, lengthPrefixed, ucumUnit, type StreamDatapoint } from './metric-stream-records.ts';

// The 0.7.0 messages as the CloudWatch user guide prints them ("OpenTelemetry 0.7.0 format").
const Doc07 = protobuf.parse(`
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message StringKeyValue { string key = 1; string value = 2; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ValueAtQuantile { double quantile = 1; double value = 2; }
message DoubleSummaryDataPoint { repeated StringKeyValue labels = 1; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5; repeated ValueAtQuantile quantile_values = 6; }
message DoubleSummary { repeated DoubleSummaryDataPoint data_points = 1; }
message DoubleGauge { }
message Metric { string name = 1; string description = 2; string unit = 3; DoubleGauge double_gauge = 5; DoubleSummary double_summary = 11; }
message InstrumentationLibrary { string name = 1; string version = 2; }
message InstrumentationLibraryMetrics { InstrumentationLibrary instrumentation_library = 1; repeated Metric metrics = 2; }
message ResourceMetrics { Resource resource = 1; repeated InstrumentationLibraryMetrics instrumentation_library_metrics = 2; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
`, { keepCase: true }).root.lookupType('ExportMetricsServiceRequest');

const point: StreamDatapoint = {
  namespace: 'AWS/DynamoDB', metricName: 'ConsumedReadCapacityUnits', dimensions: { TableName: 'MyTable' }, start: 1604948400000, unit: 'Count',
  count: 2, sum: 5, min: 2, max: 3, quantiles: [[0.99, 3]],
};

test('opentelemetry0.7: DoubleSummary points with labels, min/max as quantiles 0 and 1, the stream resource', () => {
  const bytes = encodeOtel07({ account: '123456789012', region: 'us-east-1', streamArn: 'arn:aws:cloudwatch:us-east-1:123456789012:metric-stream/s' }, [point]);
  const m = Doc07.toObject(Doc07.decode(bytes), { longs: String }) as {
    resource_metrics: { resource: { attributes: { key: string; value: { string_value: string } }[] }; instrumentation_library_metrics: { metrics: {
      name: string; unit: string; double_summary: { data_points: { labels: { key: string; value: string }[]; start_time_unix_nano: string; time_unix_nano: string; count: string; sum: number; quantile_values: { quantile?: number; value: number }[] }[] } }[] }[] }[];
  };
  const rm = m.resource_metrics[0]!;
  assert.equal(rm.resource.attributes.find((a) => a.key === 'aws.exporter.arn')!.value.string_value, 'arn:aws:cloudwatch:us-east-1:123456789012:metric-stream/s');
  const metric = rm.instrumentation_library_metrics[0]!.metrics[0]!;
  assert.equal(metric.name, 'amazonaws.com/AWS/DynamoDB/ConsumedReadCapacityUnits');
  assert.equal(metric.unit, '{Count}');
  const dp = metric.double_summary.data_points[0]!;
  assert.deepEqual(dp.labels, [{ key: 'Namespace', value: 'AWS/DynamoDB' }, { key: 'MetricName', value: 'ConsumedReadCapacityUnits' }, { key: 'TableName', value: 'MyTable' }]);
  assert.equal(dp.start_time_unix_nano, '1604948400000000000');
  assert.equal(dp.time_unix_nano, '1604948460000000000');
  assert.equal(dp.count, '2');
  assert.deepEqual(dp.quantile_values.map((q) => [q.quantile ?? 0, q.value]), [[0, 2], [0.99, 3], [1, 3]]);
});

test('records carry messages behind an unsigned varint length; units map to UCUM', () => {
  const framed = lengthPrefixed(new Uint8Array(300));
  assert.deepEqual([...framed.subarray(0, 2)], [0xac, 0x02]);
  assert.equal(framed.length, 302);
  assert.equal(ucumUnit('Bytes/Second'), 'By/s');
  assert.equal(ucumUnit('None'), '1');
  assert.equal(ucumUnit('Percent'), '%');
});
