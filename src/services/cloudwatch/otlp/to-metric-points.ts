/**
 * Decoded OTLP metrics → CloudWatch metric points (the documented mapping, README "OTLP metrics"):
 *
 * - gauge: each data point's value.
 * - sum: delta points as sent; cumulative monotonic sums (counters) as the increase since the
 *   series' previous point (cumulative.ts); cumulative non-monotonic sums (up-down counters) as
 *   their current value.
 * - histogram and exponential histogram: count, sum, min, max and the buckets as a distribution
 *   (histogram.ts), cumulative ones as their increase; percentiles come from the buckets.
 * - summary: refused (CloudWatch cannot store precomputed quantiles); so are points CloudWatch's
 *   PutMetricData would refuse (non-finite or out-of-range values, times over two weeks old or
 *   two hours ahead, invalid names, over 30 attributes). Refused points are counted, with reasons.
 * - Data points flagged "no recorded value" carry nothing and are skipped.
 *
 * Namespace, metric name, dimensions and unit: series-identity.ts and units.ts.
 */
import type { ResourceMetrics } from '../../../protocol/otlp/decode-metrics.ts';
import { Temporality, type NumberPoint, type OtlpMetric } from '../../../protocol/otlp/types.ts';
import type { ObservationSummary } from '../../../lib/metric-observation.ts';
import type { MetricPoint } from '../../../store/telemetry/metric-point.ts';
import { PUT_LIMITS, valueInRange } from '../put-metric-data.ts';
import { numberDelta, type CumulativeBatch } from './cumulative.ts';
import { explicitHistogram, exponentialHistogram, histogramDelta, histogramSummary, type HistogramValue } from './histogram.ts';
import { dimensionsOf, metricNameProblem, namespaceOf, namespaceProblem } from './series-identity.ts';
import { cloudWatchUnit } from './units.ts';

export interface Converted {
  points: MetricPoint[];
  rejected: number;
  /** Why points were refused, with how many each. */
  reasons: Map<string, number>;
}

interface Target {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  unit: string;
}

const NO_RECORDED_VALUE = 1;

export function toMetricPoints(resources: readonly ResourceMetrics[], scope: { account: string; region: string }, cumulative: CumulativeBatch, now: number): Converted {
  const out: Converted = { points: [], rejected: 0, reasons: new Map() };
  const refuse = (reason: string, n = 1) => {
    out.rejected += n;
    out.reasons.set(reason, (out.reasons.get(reason) ?? 0) + n);
  };
  for (const rm of resources) {
    const namespace = namespaceOf(rm.resource.attributes);
    const nsProblem = namespaceProblem(namespace);
    for (const { metrics } of rm.scopes) {
      for (const m of metrics) {
        const problem = nsProblem ?? metricNameProblem(m.name);
        if (problem !== undefined) {
          refuse(problem, m.data.points.length);
          continue;
        }
        const target = { ...scope, namespace, metricName: m.name, unit: cloudWatchUnit(m.unit) };
        convertMetric(m, target, cumulative, now, out.points, refuse);
      }
    }
  }
  return out;
}

type Refuse = (reason: string) => void;

function convertMetric(m: OtlpMetric, t: Target, cumulative: CumulativeBatch, now: number, into: MetricPoint[], refuse: Refuse): void {
  const d = m.data;
  switch (d.kind) {
    case 'none':
      return;
    case 'summary':
      return d.points.forEach(() => refuse('summary data points are not stored (CloudWatch cannot store precomputed quantiles; export a histogram)'));
    case 'gauge':
      for (const p of d.points) numberPoint(p, t, 'gauge', undefined, cumulative, now, into, refuse);
      return;
    case 'sum': {
      if (d.temporality === Temporality.UNSPECIFIED) return d.points.forEach(() => refuse('a sum has no aggregation temporality'));
      // Counters arrive as running totals; up-down counters' totals are their current value.
      const running = d.temporality === Temporality.CUMULATIVE && d.monotonic;
      for (const p of d.points) numberPoint(p, t, 'sum', running ? 'cumulative' : undefined, cumulative, now, into, refuse);
      return;
    }
    case 'histogram':
      if (d.temporality === Temporality.UNSPECIFIED) return d.points.forEach(() => refuse('a histogram has no aggregation temporality'));
      for (const p of d.points) histogramPoint(p, explicitHistogram(p), t, d.kind, d.temporality === Temporality.CUMULATIVE, cumulative, now, into, refuse);
      return;
    case 'exponentialHistogram':
      if (d.temporality === Temporality.UNSPECIFIED) return d.points.forEach(() => refuse('a histogram has no aggregation temporality'));
      for (const p of d.points) histogramPoint(p, exponentialHistogram(p), t, d.kind, d.temporality === Temporality.CUMULATIVE, cumulative, now, into, refuse);
  }
}

interface PointMeta {
  attributes: NumberPoint['attributes'];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
}

/** Dimensions and timestamp of a point, or undefined (refused or nothing to store). */
function place(p: PointMeta, now: number, refuse: Refuse): { dimensions: Record<string, string>; timestamp: number } | undefined {
  if ((p.flags & NO_RECORDED_VALUE) !== 0) return undefined;
  const timestamp = p.timeUnixNano > 0n ? Number(p.timeUnixNano / 1_000_000n) : now;
  if (timestamp < now - PUT_LIMITS.maxAgeMs) return void refuse('a data point is more than two weeks old');
  if (timestamp > now + PUT_LIMITS.maxAheadMs) return void refuse('a data point is more than two hours in the future');
  const dims = dimensionsOf(p.attributes);
  if ('problem' in dims) return void refuse(dims.problem);
  return { dimensions: dims.dimensions, timestamp };
}

const seriesKey = (t: Target, kind: string, dimensions: Record<string, string>) =>
  JSON.stringify([t.account, t.region, t.namespace, t.metricName, kind, dimensions]);

function numberPoint(p: NumberPoint, t: Target, kind: string, mode: 'cumulative' | undefined, cumulative: CumulativeBatch, now: number, into: MetricPoint[], refuse: Refuse): void {
  const at = place(p, now, refuse);
  if (!at) return;
  if (!valueInRange(p.value)) return refuse('a data point value is not a number CloudWatch stores (NaN, infinite, or beyond ±1.17e108)');
  const v = mode === 'cumulative' ? cumulative.delta(seriesKey(t, kind, at.dimensions), p.startTimeUnixNano, p.timeUnixNano, p.value, numberDelta) : p.value;
  if (v === undefined) return;
  into.push(point(t, at, { sampleCount: 1, sum: v, min: v, max: v, values: [v], counts: [1] }));
}

function histogramPoint(p: PointMeta, h: HistogramValue, t: Target, kind: string, isCumulative: boolean, cumulative: CumulativeBatch, now: number, into: MetricPoint[], refuse: Refuse): void {
  const at = place(p, now, refuse);
  if (!at) return;
  const value = isCumulative ? cumulative.delta(seriesKey(t, kind, at.dimensions), p.startTimeUnixNano, p.timeUnixNano, h, histogramDelta) : h;
  if (value === undefined) return;
  let summary: ObservationSummary | undefined;
  try {
    summary = histogramSummary(value);
  } catch (e) {
    if (e instanceof RangeError) return refuse(`a histogram cannot be stored: ${e.message}`);
    throw e;
  }
  if (summary === undefined) return;
  if (![summary.sum, summary.min, summary.max, ...summary.values].every(valueInRange)) {
    return refuse('a histogram holds a value CloudWatch does not store (beyond ±1.17e108)');
  }
  into.push(point(t, at, summary));
}

function point(t: Target, at: { dimensions: Record<string, string>; timestamp: number }, s: ObservationSummary): MetricPoint {
  return { account: t.account, region: t.region, namespace: t.namespace, metricName: t.metricName, dimensions: at.dimensions, timestamp: at.timestamp, storageResolution: 60, unit: t.unit, ...s };
}
