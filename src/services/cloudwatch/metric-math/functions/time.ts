/**
 * MINUTE, HOUR, DAY, DATE, MONTH, YEAR, EPOCH and TIME_SERIES: series whose values come from the
 * timestamps, not from datapoints.
 *
 * The date functions "take the period and range of the time series and return a new non-sparse
 * time series where each value is based on its timestamp": every timestamp of the grid gets a
 * value, whether or not the argument has a datapoint there. All in UTC:
 * MINUTE 0–59, HOUR 0–23, DAY the day of the week 1–7 with 1 = Monday (the doc: IF(DAY(m1)<6,m1)
 * "returns metrics only from weekdays, Monday to Friday"), DATE the day of the month 1–31,
 * MONTH 1–12, YEAR the four-digit year, EPOCH seconds since 1970-01-01T00:00:00Z.
 *
 * TIME_SERIES(S) "returns a non-sparse time series where every value is set to a scalar argument".
 */
import { constantSeries } from '../series-ops.ts';
import type { MathValue } from '../types.ts';
import { expectScalar, expectSeries, series, type Arg } from '../values.ts';

export const DATE_PARTS: Readonly<Record<'MINUTE' | 'HOUR' | 'DAY' | 'DATE' | 'MONTH' | 'YEAR' | 'EPOCH', (d: Date) => number>> = {
  MINUTE: (d) => d.getUTCMinutes(),
  HOUR: (d) => d.getUTCHours(),
  DAY: (d) => ((d.getUTCDay() + 6) % 7) + 1,
  DATE: (d) => d.getUTCDate(),
  MONTH: (d) => d.getUTCMonth() + 1,
  YEAR: (d) => d.getUTCFullYear(),
  EPOCH: (d) => Math.floor(d.getTime() / 1000),
};

export function datePart(name: keyof typeof DATE_PARTS, arg: Arg, timestamps: readonly number[]): MathValue {
  const s = expectSeries(name, 1, arg);
  const part = DATE_PARTS[name];
  return series({ ...(s.id !== undefined ? { id: s.id } : {}), label: s.label, values: timestamps.map((t) => part(new Date(t))) });
}

export const timeSeries = (arg: Arg, length: number): MathValue => series(constantSeries(length, expectScalar('TIME_SERIES', 1, arg)));
