/**
 * The Insights decision, pure: a baseline from per-bucket counts, the threshold it sets, and the
 * open/close step for one (API, error code) series.
 *
 * The documented rule (README): rates are counted per evaluation interval (`insightsIntervalMs`,
 * AWS's one minute by default) and reported per minute. The baseline is the mean and (population)
 * standard deviation of the per-interval counts over the trailing window (`insightsWindowMs`, AWS's
 * 7 days) before the evaluated interval; intervals without calls count as 0, over the part of the
 * window covered by data (from the account and region's first recorded event in it), so a new
 * account's quiet start counts as quiet rather than as unknown. An Insights event starts when an
 * interval's count exceeds mean + 3 × stddev and reaches at least MIN_INSIGHT_EVENTS (so a handful
 * of calls to a never-used API is not "unusual"), and only once the baseline spans at least
 * MIN_BASELINE_INTERVALS; the baseline is then frozen for the insight, which ends at the first
 * interval that no longer meets the rule against it.
 */

/** The fewest events in one interval that can start (or keep open) an Insights event. */
export const MIN_INSIGHT_EVENTS = 10;
/** The shortest baseline, in intervals, that can start an Insights event. */
export const MIN_BASELINE_INTERVALS = 3;
/** How many standard deviations above the mean an interval must be. */
export const DEVIATIONS = 3;

/** A baseline: per-interval count statistics over `intervals` intervals. */
export interface Baseline {
  mean: number;
  stddev: number;
  intervals: number;
}

/** The baseline from the window's count sum and sum of squares (empty intervals add 0 to both). */
export function baselineOf(total: number, squares: number, intervals: number): Baseline {
  if (intervals <= 0) return { mean: 0, stddev: 0, intervals: 0 };
  const mean = total / intervals;
  // Clamped: floating point can leave a tiny negative variance for a constant series.
  const variance = Math.max(0, squares / intervals - mean * mean);
  return { mean, stddev: Math.sqrt(variance), intervals };
}

/** The count an interval must exceed to be unusual against this baseline. */
export const thresholdOf = (b: Baseline): number => b.mean + DEVIATIONS * b.stddev;

/** Whether an interval's count is unusual against a baseline. */
export const unusual = (count: number, b: Baseline): boolean => count >= MIN_INSIGHT_EVENTS && count > thresholdOf(b);

/** A per-interval value as a per-minute rate (AWS reports averages per minute). */
export const perMinute = (count: number, intervalMs: number): number => (count * 60_000) / intervalMs;

export type Step = 'start' | 'continue' | 'end' | 'none';

/** Whether a series needs its baseline computed to be decided (the expensive query is skipped otherwise). */
export const mayStart = (count: number): boolean => count >= MIN_INSIGHT_EVENTS;

/**
 * One series, one evaluated interval. `open` is the frozen baseline of the insight in progress
 * (undefined when none is); `baseline` the current one (only needed, and only asked, to start).
 */
export function step(count: number, open: Baseline | undefined, baseline: Baseline | undefined): Step {
  if (open) return unusual(count, open) ? 'continue' : 'end';
  if (!baseline || !mayStart(count)) return 'none';
  return baseline.intervals >= MIN_BASELINE_INTERVALS && unusual(count, baseline) ? 'start' : 'none';
}
