/**
 * What one publisher observed for one metric series at one timestamp, in the three forms
 * PutMetricData's MetricDatum accepts, and the summary a stored metric point carries:
 * - `Value` v                 → sampleCount 1, sum/min/max v, values [v], counts [1];
 * - `Values` + `Counts`       → their totals, and the distribution itself (for percentiles);
 * - `StatisticValues`         → the four numbers as given and an empty distribution, so percentiles
 *                                are unavailable for it, as in CloudWatch.
 *
 * Here rather than in the CloudWatch service because three publishers share it: PutMetricData
 * (services/cloudwatch), and EMF and metric filters (services/logs), which must not import
 * CloudWatch's internals. Each publisher validates its own input — finite numbers above all, with
 * its own error semantics — before calling `summarize`; this module checks only what it derives
 * (totals that overflow a double) and the shape of the forms.
 */

/** PutMetricData's StatisticSet. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** The value part of a MetricDatum: exactly one of the three forms PutMetricData accepts. */
export type MetricObservation =
  | { value: number }
  /** `counts` defaults to 1 for every value; when given it must have the same length. */
  | { values: readonly number[]; counts?: readonly number[] }
  /**
   * A StatisticSet, optionally with the distribution it summarises (the CloudWatch agent's and
   * OpenTelemetry's histogram form in EMF): the statistics are kept as given, since histogram
   * values are often bucket representatives whose weighted sum is not the true Sum.
   */
  | { statisticValues: StatisticSet; values?: readonly number[]; counts?: readonly number[] };

/** The summary columns a metric point stores for an observation (the store's PointSummary is this type). */
export interface ObservationSummary {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** The distribution: each distinct value once, in `counts` how often it occurred. Empty for a StatisticSet. */
  values: readonly number[];
  counts: readonly number[];
}

/**
 * The summary of one observation whose numbers the publisher already checked to be finite.
 * Throws RangeError when a form is malformed (empty values, counts of another length or negative,
 * no positive count, sampleCount ≤ 0, min > max) or a total overflows a double.
 */
export function summarize(o: MetricObservation): ObservationSummary {
  if ('statisticValues' in o) {
    const s = o.statisticValues;
    if (!(s.sampleCount > 0)) throw new RangeError(`statisticValues: sampleCount must be greater than 0, got ${s.sampleCount}`);
    if (s.minimum > s.maximum) throw new RangeError(`statisticValues: min (${s.minimum}) is greater than max (${s.maximum})`);
    const d = o.values === undefined ? { values: [], counts: [] } : distribution(o.values, o.counts);
    return { sampleCount: s.sampleCount, sum: s.sum, min: s.minimum, max: s.maximum, values: d.values, counts: d.counts };
  }
  if ('value' in o) {
    const v = o.value;
    return { sampleCount: 1, sum: v, min: v, max: v, values: [v], counts: [1] };
  }
  const { values, counts } = distribution(o.values, o.counts);
  let sampleCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = counts[i]!;
    if (c === 0) continue;
    sampleCount += c;
    sum += v * c;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (sampleCount <= 0) throw new RangeError('the counts must add up to more than 0');
  // Finite inputs can still add up past a double (huge Counts × Values); such a total would not
  // serialise, so it is refused here, where it is computed.
  if (!Number.isFinite(sampleCount)) throw new RangeError('sampleCount must be a finite number, got Infinity');
  if (!Number.isFinite(sum)) throw new RangeError(`sum must be a finite number, got ${sum}`);
  return { sampleCount, sum, min, max, values, counts };
}

/** Copies of Values and Counts (counts default to 1 each), their shape checked. */
function distribution(values: readonly number[], counts?: readonly number[]): { values: number[]; counts: number[] } {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError('values must be a non-empty array');
  const c = counts ?? values.map(() => 1);
  if (!Array.isArray(c) || c.length !== values.length) throw new RangeError(`counts has ${c.length} entries for ${values.length} values`);
  for (const n of c) if (n < 0) throw new RangeError(`counts must not be negative, got ${n}`);
  return { values: [...values], counts: [...c] };
}

/**
 * Accumulates observed values into a distribution (distinct values with their counts, in order of
 * first appearance): what metric filters publish per minute, and EMF's per-minute error counts.
 */
export class Distribution {
  private readonly counts = new Map<number, number>();

  add(value: number, count = 1): void {
    // -0 and 0 are one value (Map keys already treat them alike; keep the first spelling).
    this.counts.set(value, (this.counts.get(value) ?? 0) + count);
  }

  get size(): number {
    return this.counts.size;
  }

  summary(): ObservationSummary {
    return summarize({ values: [...this.counts.keys()], counts: [...this.counts.values()] });
  }
}
