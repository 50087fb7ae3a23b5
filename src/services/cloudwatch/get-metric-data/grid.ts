/** The evaluation grid of one period: every bucket start from the rounded StartTime to EndTime. */
import { bucketCount, effectiveRange } from '../time-range.ts';
import { validationError } from './queries.ts';

export interface Grid {
  period: number;
  start: number;
  end: number;
  timestamps: number[];
}

/** More buckets than this in one query is refused rather than built (100,800 per page × 10). */
const MAX_BUCKETS = 1_008_000;

export function makeGrid(startTime: number, endTime: number, period: number, now: number): Grid {
  const { start, end } = effectiveRange(startTime, endTime, period, now);
  const n = bucketCount(start, end, period);
  if (n > MAX_BUCKETS) {
    throw validationError(`The requested time range holds ${n} datapoints at a period of ${period} seconds; ` +
      `the maximum is ${MAX_BUCKETS}. Increase the period or shorten the time range.`);
  }
  const timestamps = new Array<number>(n);
  for (let i = 0; i < n; i++) timestamps[i] = start + i * period * 1000;
  return { period, start, end, timestamps };
}

/** Values of `values` (on grid `from`) placed on grid `to` by equal timestamps. */
export function realign(values: readonly (number | null)[], from: Grid, to: Grid): (number | null)[] {
  if (from.period === to.period && from.start === to.start) return values.slice(0, to.timestamps.length);
  const at = new Map<number, number | null>();
  from.timestamps.forEach((t, i) => at.set(t, values[i] ?? null));
  return to.timestamps.map((t) => at.get(t) ?? null);
}
