/**
 * CloudWatch statistics over one period's aggregate: the five standard statistics and the
 * extended ones (pNN, TM, WM, PR, TC, TS, IQM) as the "CloudWatch statistics definitions" page
 * describes them.
 *
 * Percentile-type statistics need the value distribution: they are computed over the bucket's
 * distribution (exact values from raw points, sketch representatives from rollups) and are
 * unavailable — no datapoint — when any sample of the period came without one (StatisticValues),
 * as CloudWatch does for statistic sets.
 *
 * Choices where the doc gives no formula:
 * - pNN is the nearest-rank percentile: the smallest value with at least NN % of samples ≤ it.
 * - Percent bounds of TM/WM/TC/TS trim by rank (lowest lo % and highest (100 − hi) % of samples,
 *   splitting a value's count when a boundary falls inside it); absolute bounds keep
 *   lo < value ≤ hi, the doc's "(150:1000)" reading.
 */
import type { BucketAggregate } from '../../store/telemetry/metric-reader.ts';

export type StandardStatistic = 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum';

export type Statistic =
  | { kind: 'standard'; name: StandardStatistic }
  | { kind: 'p'; p: number }
  | { kind: 'TM' | 'WM' | 'TC' | 'TS' | 'PR'; lo?: number; hi?: number; percent: boolean };

const STANDARD = new Set<string>(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']);
const NUM = '(\\d+(?:\\.\\d+)?)';
const PERCENTILE = new RegExp(`^p${NUM}$`);
const SHORT = new RegExp(`^(tm|wm|tc|ts)${NUM}$`, 'i');
const RANGE = new RegExp(`^(TM|WM|TC|TS|PR)\\((${NUM}%?)?:(${NUM}%?)?\\)$`, 'i');

/** Parses a Stat / ExtendedStatistic; undefined when it is not one CloudWatch knows. */
export function parseStatistic(text: string): Statistic | undefined {
  if (STANDARD.has(text)) return { kind: 'standard', name: text as StandardStatistic };
  if (/^IQM$/i.test(text)) return { kind: 'TM', lo: 25, hi: 75, percent: true };
  let m = PERCENTILE.exec(text);
  if (m) {
    const p = Number(m[1]);
    return p >= 0 && p <= 100 && decimals(m[1]!) <= 10 ? { kind: 'p', p } : undefined;
  }
  m = SHORT.exec(text);
  if (m) {
    const hi = Number(m[2]);
    return hi <= 100 ? { kind: m[1]!.toUpperCase() as 'TM', lo: 0, hi, percent: true } : undefined;
  }
  m = RANGE.exec(text);
  if (m) {
    const kind = m[1]!.toUpperCase() as 'TM' | 'WM' | 'TC' | 'TS' | 'PR';
    const loText = m[2];
    const hiText = m[4];
    if (loText === undefined && hiText === undefined) return undefined;
    const loPct = loText?.endsWith('%') ?? false;
    const hiPct = hiText?.endsWith('%') ?? false;
    // Both bounds are percentages or both absolute; PR only takes absolute values.
    if (loText !== undefined && hiText !== undefined && loPct !== hiPct) return undefined;
    const percent = loPct || hiPct;
    if (kind === 'PR' && percent) return undefined;
    const lo = loText === undefined ? undefined : Number(loText.replace('%', ''));
    const hi = hiText === undefined ? undefined : Number(hiText.replace('%', ''));
    if (percent && ((lo ?? 0) > 100 || (hi ?? 100) > 100)) return undefined;
    if (lo !== undefined && hi !== undefined && lo > hi) return undefined;
    return { kind, lo, hi, percent };
  }
  return undefined;
}

const decimals = (s: string) => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);

/** Whether computing the statistic needs the bucket distribution. */
export const needsDistribution = (s: Statistic) => s.kind !== 'standard';

/** The statistic's value for one bucket; undefined = no datapoint. */
export function computeStatistic(s: Statistic, b: BucketAggregate): number | undefined {
  if (s.kind === 'standard') {
    switch (s.name) {
      case 'SampleCount': return b.sampleCount;
      case 'Sum': return b.sum;
      case 'Average': return b.sampleCount > 0 ? b.sum / b.sampleCount : undefined;
      case 'Minimum': return b.min;
      case 'Maximum': return b.max;
    }
  }
  const d = b.distribution;
  if (d === undefined || d.values.length === 0 || b.distCount < b.sampleCount) return undefined;
  // Sketch representatives can stray up to 0.5 % past the true extremes; the bucket's min and max
  // are exact, so a percentile never leaves them (a single value reads back exactly).
  if (s.kind === 'p') return Math.min(Math.max(percentile(d.values, d.counts, s.p), b.min), b.max);
  const total = d.counts.reduce((a, c) => a + c, 0);
  if (s.kind === 'PR') {
    const lo = s.lo ?? -Infinity;
    const hi = s.hi ?? Infinity;
    let inRange = 0;
    d.values.forEach((v, i) => { if (v > lo && v <= hi) inRange += d.counts[i]!; });
    return (inRange / total) * 100;
  }
  const w = weightsInRange(d.values, d.counts, total, s);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < d.values.length; i++) {
    count += w[i]!;
    sum += w[i]! * d.values[i]!;
  }
  switch (s.kind) {
    case 'TC': return count;
    case 'TS': return sum;
    case 'TM': return count > 0 ? sum / count : undefined;
    case 'WM': {
      // Winsorized: values outside the range count as the nearest kept value.
      const kept = d.values.filter((_, i) => w[i]! > 0);
      if (kept.length === 0) return undefined;
      const lo = kept[0]!;
      const hi = kept[kept.length - 1]!;
      let wsum = 0;
      d.values.forEach((v, i) => { wsum += Math.min(Math.max(v, lo), hi) * d.counts[i]!; });
      return wsum / total;
    }
  }
}

/** Nearest-rank percentile of an ascending weighted distribution. */
export function percentile(values: readonly number[], counts: readonly number[], p: number): number {
  const total = counts.reduce((a, c) => a + c, 0);
  const rank = (p / 100) * total;
  let cum = 0;
  for (let i = 0; i < values.length; i++) {
    cum += counts[i]!;
    if (cum >= rank && cum > 0) return values[i]!;
  }
  return values[values.length - 1]!;
}

/** How much of each value's count falls inside the statistic's range. */
function weightsInRange(values: readonly number[], counts: readonly number[], total: number,
  s: { lo?: number; hi?: number; percent: boolean }): number[] {
  if (!s.percent) {
    const lo = s.lo ?? -Infinity;
    const hi = s.hi ?? Infinity;
    return values.map((v, i) => (v > lo && v <= hi ? counts[i]! : 0));
  }
  const from = ((s.lo ?? 0) / 100) * total;
  const to = ((s.hi ?? 100) / 100) * total;
  let cum = 0;
  return counts.map((c) => {
    const start = cum;
    cum += c;
    return Math.max(0, Math.min(cum, to) - Math.max(start, from));
  });
}
