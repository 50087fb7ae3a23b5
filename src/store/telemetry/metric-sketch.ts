/**
 * The percentile sketch kept by the metric rollups: a DDSketch-style log-bucketed histogram.
 *
 * Why this sketch: rollups must still answer pNN/TM/WM/PR/TC/TS after raw points expire, and merge
 * by plain addition (ClickHouse `sumMap`), so 1 min rows fold into 5 min and 1 h rows and any
 * period without losing accuracy. A value v ≠ 0 falls into bucket k = ceil(ln|v| / ln γ) with
 * γ = (1 + α)/(1 − α); every value of a bucket is within α of the bucket's representative
 * 2γ^k/(γ + 1), so any quantile read from the sketch is within α (0.5 %) of the exact one — the
 * acceptance bar is 1 %. Unlike a t-digest, the error bound does not depend on the data or the
 * order of merges.
 *
 * Keys are Int32 so one Map column holds both signs and zero: 0 ↔ v = 0; ±(k + OFFSET) ↔ v > 0 /
 * v < 0. OFFSET keeps |key| ≥ 1 for every finite double (ln of the smallest subnormal ≈ −744.4,
 * i.e. k ≥ −74,430).
 */
export const SKETCH_RELATIVE_ACCURACY = 0.005;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
const OFFSET = 100_000;

/** ClickHouse expression: the sketch key of the Float64 expression `v` (matches `sketchKey`). */
export function sketchKeySql(v: string): string {
  return `toInt32(if(${v} = 0, 0, sign(${v}) * (ceil(log(abs(${v})) / ${LN_GAMMA}) + ${OFFSET})))`;
}

/** The sketch key of a value (for tests and in-process sketches). */
export function sketchKey(v: number): number {
  if (v === 0) return 0;
  return Math.sign(v) * (Math.ceil(Math.log(Math.abs(v)) / LN_GAMMA) + OFFSET);
}

/** The representative value of a key: within SKETCH_RELATIVE_ACCURACY of every value it holds. */
export function sketchValue(key: number): number {
  if (key === 0) return 0;
  const k = Math.abs(key) - OFFSET;
  return Math.sign(key) * ((2 * Math.pow(GAMMA, k)) / (GAMMA + 1));
}
