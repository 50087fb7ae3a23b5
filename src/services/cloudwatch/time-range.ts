/**
 * The time grid of metric reads: period rules and StartTime rounding as the GetMetricData and
 * GetMetricStatistics references state them.
 */
import { badValue, combination, invalidValue } from './errors.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Periods below a minute that high-resolution metrics allow. */
const SUB_MINUTE_PERIODS = new Set([1, 5, 10, 20, 30]);

/** Checks a period in seconds: 1, 5, 10, 20, 30, or a multiple of 60. */
export function checkPeriod(period: number, param = 'Period'): void {
  if (!Number.isInteger(period) || period < 1) throw badValue(period, param);
  if (period < 60 ? !SUB_MINUTE_PERIODS.has(period) : period % 60 !== 0) {
    throw invalidValue(`The parameter ${param} must be a multiple of 60.`);
  }
}

/**
 * StartTime as CloudWatch uses it: sub-minute periods start on an even division of the minute;
 * otherwise less than 15 days old → whole minute, up to 63 days → 5 minutes, older → hour.
 */
export function roundStartTime(start: number, period: number, now: number): number {
  if (period < 60) return floorTo(start, period * 1000);
  const age = now - start;
  if (age <= 15 * DAY) return floorTo(start, MINUTE);
  if (age <= 63 * DAY) return floorTo(start, 5 * MINUTE);
  return floorTo(start, 60 * MINUTE);
}

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;

export function checkRange(start: Date, end: Date): void {
  if (!(start.getTime() < end.getTime())) {
    throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  }
}

/**
 * Number of whole period buckets between a (rounded) start and the end. A trailing partial period
 * is not returned: GetMetricData's reference asked at 01:05:23 for the previous 10 s (StartTime
 * 01:05:13) answers data from 01:05:10 to 01:05:20.
 */
export const bucketCount = (start: number, end: number, period: number) => Math.max(0, Math.floor((end - start) / (period * 1000)));

/** The data range a request covers: [rounded StartTime, start + whole periods). */
export function effectiveRange(startTime: number, endTime: number, period: number, now: number): { start: number; end: number } {
  const start = roundStartTime(startTime, period, now);
  return { start, end: start + bucketCount(start, endTime, period) * period * 1000 };
}

export function checkDatapointLimit(count: number, limit: number): void {
  if (count > limit) {
    throw combination(
      `You have requested up to ${count} datapoints, which exceeds the limit of ${limit}. ` +
      'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  }
}
