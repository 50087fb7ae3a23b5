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
 * Number of period buckets whose start lies in [start, end): the trailing bucket that EndTime cuts
 * (typically the period still filling up when EndTime is "now") is included, with what has arrived
 * so far. GetMetricData's StartTime reference: asked at 15:07:17 for the previous 5 minutes with a
 * 5 s period, "you receive data timestamped between 15:02:15 and 15:07:15" — 15:07:15 is the
 * bucket [15:07:15, 15:07:20) that has not closed yet.
 */
export const bucketCount = (start: number, end: number, period: number) => Math.max(0, Math.ceil((end - start) / (period * 1000)));

/** The data range a request covers: [rounded StartTime, end of the bucket holding EndTime − 1 ms). */
export function effectiveRange(startTime: number, endTime: number, period: number, now: number): { start: number; end: number } {
  const start = roundStartTime(startTime, period, now);
  return { start, end: start + bucketCount(start, endTime, period) * period * 1000 };
}

/**
 * The datapoints a request asks for, as the limits count them: the span of the request itself, so
 * "the last 24 hours at 60 s" stays 1,440 although its rounded start and unfinished last minute
 * make 1,441 buckets.
 */
export const requestedDatapoints = (startTime: number, endTime: number, period: number) =>
  Math.max(0, Math.ceil((endTime - startTime) / (period * 1000)));

export function checkDatapointLimit(count: number, limit: number): void {
  if (count > limit) {
    throw combination(
      `You have requested up to ${count} datapoints, which exceeds the limit of ${limit}. ` +
      'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  }
}
