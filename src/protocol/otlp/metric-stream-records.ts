/**
 * CloudWatch metric stream records in the two OpenTelemetry output formats ("Metric streams output
 * formats" in the CloudWatch user guide): a record holds one or more ExportMetricsServiceRequest
 * messages, each preceded by its length as an unsigned varint. Every datapoint is a summary
 * (count, sum, quantile 0 = minimum, quantile 1 = maximum, plus any additional percentiles) named
 * `amazonaws.com/<namespace>/<metric name>`, with the unit in UCUM and a resource naming the
 * provider, account, Region and the stream's ARN.
 *
 * - opentelemetry1.0: opentelemetry-proto 1.x — Summary / SummaryDataPoint with attributes
 *   Namespace, MetricName and Dimensions (a key-value list).
 * - opentelemetry0.7: opentelemetry-proto 0.7.0 — instrumentation_library_metrics, DoubleSummary /
 *   DoubleSummaryDataPoint with string labels Namespace, MetricName and one per dimension.
 */
import protobuf from 'protobufjs';
import { ExportMetricsServiceRequest } from './proto.ts';

/** The 0.7.0 messages a metric stream writes (field numbers of opentelemetry-proto v0.7.0). */
const V07 = protobuf.parse(`
syntax = "proto3";
package otlp07;
message AnyValue { oneof value { string string_value = 1; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message StringKeyValue { string key = 1; string value = 2; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ValueAtQuantile { double quantile = 1; double value = 2; }
message DoubleSummaryDataPoint {
  repeated StringKeyValue labels = 1;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  double sum = 5;
  repeated ValueAtQuantile quantile_values = 6;
}
message DoubleSummary { repeated DoubleSummaryDataPoint data_points = 1; }
message Metric { string name = 1; string description = 2; string unit = 3; DoubleSummary double_summary = 11; }
message InstrumentationLibraryMetrics { repeated Metric metrics = 2; }
message ResourceMetrics { Resource resource = 1; repeated InstrumentationLibraryMetrics instrumentation_library_metrics = 2; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
`, { keepCase: true }).root.lookupType('otlp07.ExportMetricsServiceRequest');

export interface StreamDatapoint {
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  /** The minute's start, epoch ms. */
  start: number;
  /** CloudWatch StandardUnit. */
  unit: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Additional percentiles: quantile in (0, 1) → value. */
  quantiles: readonly (readonly [number, number])[];
}

export interface StreamResource {
  account: string;
  region: string;
  streamArn: string;
}

const UCUM: Record<string, string> = {
  Seconds: 's', Microseconds: 'us', Milliseconds: 'ms', Bytes: 'By', Kilobytes: 'kBy', Megabytes: 'MBy', Gigabytes: 'GBy', Terabytes: 'TBy',
  Bits: 'bit', Kilobits: 'kbit', Megabits: 'Mbit', Gigabits: 'Gbit', Terabits: 'Tbit', Percent: '%', Count: '{Count}', None: '1',
  'Bytes/Second': 'By/s', 'Kilobytes/Second': 'kBy/s', 'Megabytes/Second': 'MBy/s', 'Gigabytes/Second': 'GBy/s', 'Terabytes/Second': 'TBy/s',
  'Bits/Second': 'bit/s', 'Kilobits/Second': 'kbit/s', 'Megabits/Second': 'Mbit/s', 'Gigabits/Second': 'Gbit/s', 'Terabits/Second': 'Tbit/s',
  'Count/Second': '{Count}/s',
};
export const ucumUnit = (unit: string): string => UCUM[unit] ?? '1';

const str = (key: string, value: string) => ({ key, value: { string_value: value } });
// Decimal strings: protobufjs reads them into its 64-bit Long without losing precision.
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

const quantileValues = (d: StreamDatapoint) => [
  { quantile: 0, value: d.min },
  ...[...d.quantiles].sort((a, b) => a[0] - b[0]).map(([quantile, value]) => ({ quantile, value })),
  { quantile: 1, value: d.max },
];

const resourceOf = (r: StreamResource) => ({
  attributes: [str('cloud.provider', 'aws'), str('cloud.account.id', r.account), str('cloud.region', r.region), str('aws.exporter.arn', r.streamArn)],
});

/** Groups datapoints by metric (name and unit), in first-seen order. */
function byMetric(points: readonly StreamDatapoint[]): { name: string; unit: string; points: StreamDatapoint[] }[] {
  const out = new Map<string, { name: string; unit: string; points: StreamDatapoint[] }>();
  for (const p of points) {
    const name = `amazonaws.com/${p.namespace}/${p.metricName}`;
    const unit = ucumUnit(p.unit);
    const k = `${name}\u0000${unit}`;
    let m = out.get(k);
    if (!m) out.set(k, (m = { name, unit, points: [] }));
    m.points.push(p);
  }
  return [...out.values()];
}

/** One ExportMetricsServiceRequest (opentelemetry1.0) holding the datapoints, without its length prefix. */
export function encodeOtel10(resource: StreamResource, points: readonly StreamDatapoint[]): Uint8Array {
  const metrics = byMetric(points).map((m) => ({
    name: m.name, unit: m.unit,
    summary: {
      data_points: m.points.map((p) => ({
        attributes: [
          str('Namespace', p.namespace), str('MetricName', p.metricName),
          { key: 'Dimensions', value: { kvlist_value: { values: Object.entries(p.dimensions).map(([k, v]) => str(k, v)) } } },
        ],
        start_time_unix_nano: nanos(p.start), time_unix_nano: nanos(p.start + 60_000), count: p.count, sum: p.sum, quantile_values: quantileValues(p),
      })),
    },
  }));
  return ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject({
    resource_metrics: [{ resource: resourceOf(resource), scope_metrics: [{ metrics }] }],
  })).finish();
}

/** One ExportMetricsServiceRequest (opentelemetry0.7) holding the datapoints, without its length prefix. */
export function encodeOtel07(resource: StreamResource, points: readonly StreamDatapoint[]): Uint8Array {
  const metrics = byMetric(points).map((m) => ({
    name: m.name, unit: m.unit,
    double_summary: {
      data_points: m.points.map((p) => ({
        labels: [
          { key: 'Namespace', value: p.namespace }, { key: 'MetricName', value: p.metricName },
          ...Object.entries(p.dimensions).map(([key, value]) => ({ key, value })),
        ],
        start_time_unix_nano: nanos(p.start), time_unix_nano: nanos(p.start + 60_000), count: p.count, sum: p.sum, quantile_values: quantileValues(p),
      })),
    },
  }));
  return V07.encode(V07.fromObject({ resource_metrics: [{ resource: resourceOf(resource), instrumentation_library_metrics: [{ metrics }] }] })).finish();
}

/** A message preceded by its length as an unsigned varint (how a record carries several). */
export function lengthPrefixed(message: Uint8Array): Buffer {
  const w = protobuf.Writer.create();
  w.uint32(message.length);
  return Buffer.concat([w.finish(), message]);
}
