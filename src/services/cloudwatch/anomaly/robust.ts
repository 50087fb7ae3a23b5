/**
 * Robust statistics the anomaly model is built from. Medians and the median absolute deviation
 * instead of means and standard deviations, so a spike or an outage in the training window moves
 * the model by one rank, not by its size.
 */

/** Median of finite numbers; NaN for none. Sorts a copy. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Quantile q in [0, 1] with linear interpolation between ranks (R type 7). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** 1.4826 × MAD: a consistent estimate of a normal distribution's standard deviation. */
export function madSigma(xs: readonly number[]): number {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}

/**
 * 1.2533 × the mean absolute deviation from the median, over the smallest 98 % of deviations.
 * Also consistent for normal noise, and not zero when more than half the values are equal (a
 * mostly-idle counter), where the MAD is.
 */
export function trimmedMeanAbsSigma(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const m = median(xs);
  const dev = Float64Array.from(xs, (x) => Math.abs(x - m)).sort();
  const keep = Math.max(1, Math.floor(dev.length * 0.98));
  let sum = 0;
  for (let i = 0; i < keep; i++) sum += dev[i]!;
  return 1.2533 * (sum / keep);
}

/**
 * Theil–Sen slope of (x, y) pairs: the median of the pairwise slopes. Up to ~29 % of the points
 * can be arbitrary without moving it. Quadratic, so callers pass a few dozen points (daily medians).
 */
export function theilSenSlope(x: readonly number[], y: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[j] !== x[i]) slopes.push((y[j]! - y[i]!) / (x[j]! - x[i]!));
    }
  }
  return slopes.length ? median(slopes) : 0;
}

/** Mean of what is left after dropping the `cut` share of values at each end. */
export function trimmedMean(xs: readonly number[], cut: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const k = Math.floor(s.length * cut);
  let sum = 0;
  for (let i = k; i < s.length - k; i++) sum += s[i]!;
  return sum / (s.length - 2 * k);
}
