/**
 * An OTLP/HTTP metrics export body (ExportMetricsServiceRequest, protobuf or JSON) → resources with
 * their metrics, each with its instrumentation scope and typed data points.
 */
import { ExportMetricsServiceRequest } from './proto.ts';
import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint, OtlpMetric, OtlpMetricData, OtlpResource, OtlpScope, SummaryPoint } from './types.ts';
import { OtlpDecodeError, attributes, count, decodeMessage, double, field, int, int64, isObj, list, nanos, resource, scope, type Obj } from './values.ts';

export interface ResourceMetrics {
  resource: OtlpResource;
  scopes: { scope: OtlpScope; metrics: OtlpMetric[] }[];
}

export function decodeMetrics(body: Buffer, contentType: string): ResourceMetrics[] {
  const message = decodeMessage(body, contentType, ExportMetricsServiceRequest);
  return list(field(message, 'resource_metrics')).map((rm) => ({
    resource: resource(rm),
    scopes: list(field(rm, 'scope_metrics')).map((sm) => ({ scope: scope(sm), metrics: list(field(sm, 'metrics')).map(metric) })),
  }));
}

function metric(m: Obj): OtlpMetric {
  return { name: String(field(m, 'name') ?? ''), description: String(field(m, 'description') ?? ''), unit: String(field(m, 'unit') ?? ''), data: data(m) };
}

function data(m: Obj): OtlpMetricData {
  const gauge = field(m, 'gauge');
  if (isObj(gauge)) return { kind: 'gauge', points: list(field(gauge, 'data_points')).map(numberPoint) };
  const sum = field(m, 'sum');
  if (isObj(sum)) {
    return { kind: 'sum', temporality: temporality(sum), monotonic: field(sum, 'is_monotonic') === true, points: list(field(sum, 'data_points')).map(numberPoint) };
  }
  const histogram = field(m, 'histogram');
  if (isObj(histogram)) return { kind: 'histogram', temporality: temporality(histogram), points: list(field(histogram, 'data_points')).map(histogramPoint) };
  const exp = field(m, 'exponential_histogram');
  if (isObj(exp)) return { kind: 'exponentialHistogram', temporality: temporality(exp), points: list(field(exp, 'data_points')).map(exponentialPoint) };
  const summary = field(m, 'summary');
  if (isObj(summary)) return { kind: 'summary', points: list(field(summary, 'data_points')).map(summaryPoint) };
  return { kind: 'none', points: [] };
}

function temporality(o: Obj): number {
  return int(field(o, 'aggregation_temporality'), 'aggregationTemporality');
}

function base(p: Obj) {
  return {
    attributes: attributes(field(p, 'attributes')),
    startTimeUnixNano: nanos(field(p, 'start_time_unix_nano')),
    timeUnixNano: nanos(field(p, 'time_unix_nano')),
    flags: int(field(p, 'flags'), 'flags'),
  };
}

function numberPoint(p: Obj): NumberPoint {
  const asDouble = double(field(p, 'as_double'), 'asDouble');
  const asInt = int64(field(p, 'as_int'), 'asInt');
  return { ...base(p), value: asDouble ?? (asInt !== undefined ? Number(asInt) : 0) };
}

function histogramPoint(p: Obj): HistogramPoint {
  const bucketCounts = counts(field(p, 'bucket_counts'), 'bucketCounts');
  const explicitBounds = doubles(field(p, 'explicit_bounds'), 'explicitBounds');
  if (bucketCounts.length > 0 && bucketCounts.length !== explicitBounds.length + 1) {
    throw new OtlpDecodeError(`A histogram data point has ${bucketCounts.length} bucket counts for ${explicitBounds.length} explicit bounds; it needs bounds + 1.`);
  }
  for (let i = 1; i < explicitBounds.length; i++) {
    if (!(explicitBounds[i]! > explicitBounds[i - 1]!)) throw new OtlpDecodeError('Histogram explicitBounds must be strictly increasing.');
  }
  return { ...base(p), ...stats(p), bucketCounts, explicitBounds };
}

function exponentialPoint(p: Obj): ExponentialHistogramPoint {
  const buckets = (b: unknown, what: string) => ({ offset: int(field(b, 'offset'), `${what}.offset`), bucketCounts: counts(field(b, 'bucket_counts'), `${what}.bucketCounts`) });
  const scale = int(field(p, 'scale'), 'scale');
  if (scale < -10 || scale > 20) throw new OtlpDecodeError('Exponential histogram scale must be between -10 and 20.');
  return {
    ...base(p), ...stats(p), scale, zeroCount: count(field(p, 'zero_count'), 'zeroCount'),
    positive: buckets(field(p, 'positive'), 'positive'), negative: buckets(field(p, 'negative'), 'negative'),
  };
}

function summaryPoint(p: Obj): SummaryPoint {
  return {
    ...base(p), count: count(field(p, 'count'), 'count'), sum: double(field(p, 'sum'), 'sum') ?? 0,
    quantiles: list(field(p, 'quantile_values')).map((q) => ({ quantile: double(field(q, 'quantile'), 'quantile') ?? 0, value: double(field(q, 'value'), 'value') ?? 0 })),
  };
}

/** count, and the optional sum / min / max of a histogram point. */
function stats(p: Obj): { count: number; sum?: number; min?: number; max?: number } {
  const out: { count: number; sum?: number; min?: number; max?: number } = { count: count(field(p, 'count'), 'count') };
  for (const k of ['sum', 'min', 'max'] as const) {
    const v = double(field(p, k), k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function counts(v: unknown, what: string): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${what} must be a list of unsigned integers.`);
  return v.map((c) => count(c, what));
}

function doubles(v: unknown, what: string): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${what} must be a list of numbers.`);
  return v.map((d) => {
    const x = double(d, what);
    if (x === undefined || !Number.isFinite(x)) throw new OtlpDecodeError(`${what} must be a list of finite numbers.`);
    return x;
  });
}
