/**
 * CloudWatch's metric units (the model's StandardUnit). The stores keep units as plain strings;
 * CloudWatch (GetMetricStatistics) and Logs (metric filters) narrow them back to the SDK's union on
 * the way out. Every publisher stores only model units, so a value outside the union would be a
 * corrupt row; it is then left out of the answer rather than sent.
 */
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';

// Record<Union, true>: the compiler insists every value of the union is listed, and nothing else.
const STANDARD_UNITS: Record<StandardUnit, true> = {
  Bits: true, 'Bits/Second': true, Bytes: true, 'Bytes/Second': true, Count: true, 'Count/Second': true,
  Gigabits: true, 'Gigabits/Second': true, Gigabytes: true, 'Gigabytes/Second': true, Kilobits: true, 'Kilobits/Second': true,
  Kilobytes: true, 'Kilobytes/Second': true, Megabits: true, 'Megabits/Second': true, Megabytes: true, 'Megabytes/Second': true,
  Microseconds: true, Milliseconds: true, None: true, Percent: true, Seconds: true, Terabits: true, 'Terabits/Second': true,
  Terabytes: true, 'Terabytes/Second': true,
};

/** A member of a string union listed as `Record<Union, true>`. */
export const isMember = <T extends string>(values: Record<T, true>, v: string): v is T => Object.hasOwn(values, v);

export const asStandardUnit = (stored: string | undefined): StandardUnit | undefined =>
  stored !== undefined && isMember(STANDARD_UNITS, stored) ? stored : undefined;
