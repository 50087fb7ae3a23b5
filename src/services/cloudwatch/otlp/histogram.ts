/**
 * OTLP histograms (explicit-bucket and exponential) → the distribution CloudWatch stores for a
 * point: sample count, sum, min, max, and each bucket as one value with its count (what
 * PutMetricData's Values/Counts carry), so percentiles come from the buckets. A bucket's value is
 * the middle of its bounds (an open-ended bucket: its finite bound), clamped into the point's
 * [min, max] when the exporter sent them — so a bucket holding one observation of a point whose min
 * equals its max is stored as that exact value.
 */
import type { ExponentialHistogramPoint, HistogramPoint } from '../../../protocol/otlp/types.ts';
import type { ObservationSummary } from '../../../lib/metric-observation.ts';
import type { DeltaOps } from './cumulative.ts';

/** Bucket counts keyed by bucket identity, with what is needed to place each bucket. */
export interface HistogramValue {
  /** Bucket layout: explicit bounds, or the exponential scale. Deltas need equal layouts. */
  layout: string;
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  /** explicit: "0".."n"; exponential: "p<index>", "n<index>", "z". */
  buckets: Map<string, number>;
  /** The representative value of a bucket (before clamping). */
  place(bucket: string): number;
  /** false for deltas of cumulative points: their min and max only bound the bucket values. */
  exactMinMax?: boolean;
}

export function explicitHistogram(p: HistogramPoint): HistogramValue {
  const bounds = p.explicitBounds;
  const buckets = new Map<string, number>();
  p.bucketCounts.forEach((c, i) => c > 0 && buckets.set(String(i), c));
  const place = (bucket: string): number => {
    const i = Number(bucket);
    const lower = i === 0 ? -Infinity : bounds[i - 1]!;
    const upper = i === bounds.length ? Infinity : bounds[i]!;
    if (Number.isFinite(lower) && Number.isFinite(upper)) return (lower + upper) / 2;
    if (Number.isFinite(upper)) return upper;
    if (Number.isFinite(lower)) return lower;
    // No bounds at all: one bucket, whose mean is the best single value.
    return p.sum !== undefined && p.count > 0 ? p.sum / p.count : 0;
  };
  return { layout: `e:${bounds.join(',')}`, count: p.count, ...optionalStats(p), buckets, place };
}

export function exponentialHistogram(p: ExponentialHistogramPoint): HistogramValue {
  const buckets = new Map<string, number>();
  if (p.zeroCount > 0) buckets.set('z', p.zeroCount);
  p.positive.bucketCounts.forEach((c, i) => c > 0 && buckets.set(`p${p.positive.offset + i}`, c));
  p.negative.bucketCounts.forEach((c, i) => c > 0 && buckets.set(`n${p.negative.offset + i}`, c));
  // Bucket i holds (base^i, base^(i+1)], base = 2^(2^-scale).
  const step = 2 ** -p.scale;
  const place = (bucket: string): number => {
    if (bucket === 'z') return 0;
    const i = Number(bucket.slice(1));
    const mid = (2 ** (i * step) + 2 ** ((i + 1) * step)) / 2;
    return bucket[0] === 'n' ? -mid : mid;
  };
  return { layout: `x:${p.scale}`, count: p.count, ...optionalStats(p), buckets, place };
}

function optionalStats(p: { sum?: number; min?: number; max?: number }) {
  return { ...(p.sum !== undefined ? { sum: p.sum } : {}), ...(p.min !== undefined ? { min: p.min } : {}), ...(p.max !== undefined ? { max: p.max } : {}) };
}

/**
 * Cumulative histogram deltas: bucket by bucket. min and max of a cumulative point cover its whole
 * life, so a delta keeps them only as clamping bounds for its bucket values (`exactMinMax` false).
 */
export const histogramDelta: DeltaOps<HistogramValue> = {
  subtract(cur, prev) {
    if (cur.layout !== prev.layout) return 'skip';
    if (cur.count < prev.count) return 'reset';
    const buckets = new Map<string, number>();
    for (const [k, c] of cur.buckets) {
      const d = c - (prev.buckets.get(k) ?? 0);
      if (d < 0) return 'reset';
      if (d > 0) buckets.set(k, d);
    }
    for (const k of prev.buckets.keys()) if (!cur.buckets.has(k)) return 'reset';
    const sum = cur.sum !== undefined && prev.sum !== undefined ? { sum: cur.sum - prev.sum } : {};
    return { ...cur, ...sum, count: cur.count - prev.count, buckets, exactMinMax: false };
  },
};

/**
 * The stored summary, or undefined for a histogram with no observations (nothing to store).
 * Throws RangeError when the numbers cannot be stored (non-finite bucket values or sums).
 */
export function histogramSummary(h: HistogramValue): ObservationSummary | undefined {
  if (h.count <= 0) return undefined;
  const exact = h.exactMinMax !== false;
  const lo = h.min ?? -Infinity;
  const hi = h.max ?? Infinity;
  const byValue = new Map<number, number>();
  for (const [bucket, c] of h.buckets) {
    const v = Math.min(Math.max(h.place(bucket), lo), hi);
    if (!Number.isFinite(v)) throw new RangeError(`a bucket of the histogram has no finite value (${bucket})`);
    byValue.set(v, (byValue.get(v) ?? 0) + c);
  }
  if (byValue.size === 0) {
    // Counted but not bucketed (an explicit histogram without bucket counts): its mean, if known.
    if (h.sum === undefined) throw new RangeError('the histogram has a count but neither buckets nor a sum');
    byValue.set(h.sum / h.count, h.count);
  }
  const values = [...byValue.keys()].sort((a, b) => a - b);
  const counts = values.map((v) => byValue.get(v)!);
  const sum = h.sum ?? values.reduce((s, v, i) => s + v * counts[i]!, 0);
  const min = exact && h.min !== undefined ? h.min : values[0]!;
  const max = exact && h.max !== undefined ? h.max : values[values.length - 1]!;
  if (![sum, min, max].every(Number.isFinite)) throw new RangeError('the histogram sum, min or max is not a finite number');
  if (min > max) throw new RangeError(`the histogram min (${min}) is greater than its max (${max})`);
  return { sampleCount: h.count, sum, min, max, values, counts };
}
