/**
 * Point-level building blocks. Conventions used everywhere:
 *
 * - A result that is not a finite number (division by zero, LOG(0), 0^-1, …) is no datapoint:
 *   "If the value of a data point causes a function to attempt to divide by zero, the data point
 *   is dropped." CloudWatch has no NaN or infinite values, so the other cases are dropped too.
 * - Two series combine on the union of their timestamps: where only one has a value, the other's
 *   missing value counts as 0 ("Missing values in a time series are treated as 0"); where neither
 *   has one there is still no datapoint.
 */
import type { MathSeries } from './types.ts';

export type Point = number | null;

/** Not finite → no datapoint; -0 → 0 (so results compare and print as AWS's would). */
export const finiteOrNull = (x: number): Point => (Number.isFinite(x) ? x + 0 : null);

/** Same id and label, new values. */
export const withValues = (s: MathSeries, values: Point[]): MathSeries => ({ ...(s.id !== undefined ? { id: s.id } : {}), label: s.label, values });

/** Applies f to each datapoint; missing stays missing. */
export const mapPoints = (s: MathSeries, f: (v: number, i: number) => number): MathSeries =>
  withValues(s, s.values.map((v, i) => (v === null ? null : finiteOrNull(f(v, i)))));

/** Combines two aligned series point by point on the union of their datapoints, missing = 0. */
export function zipUnion(a: MathSeries, b: MathSeries, f: (x: number, y: number) => number): MathSeries {
  const values = a.values.map((x, i) => {
    const y = b.values[i] ?? null;
    return x === null && y === null ? null : finiteOrNull(f(x ?? 0, y ?? 0));
  });
  return withValues(a, values);
}

export const constantSeries = (length: number, value: number, label = ''): MathSeries => ({
  label,
  values: Array.from({ length }, () => finiteOrNull(value)),
});

export const emptySeries = (length: number, label = ''): MathSeries => ({ label, values: Array.from({ length }, () => null) });

/** The datapoints a series has, in time order. */
export const present = (s: MathSeries): number[] => s.values.filter((v): v is number => v !== null);

export const hasData = (s: MathSeries): boolean => s.values.some((v) => v !== null);
