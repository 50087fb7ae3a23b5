/**
 * Argument values as functions see them, and the checks that turn a wrong argument type into an
 * error naming the function and what it accepts.
 */
import type { Keyword } from './ast.ts';
import { MetricMathError } from './errors.ts';
import type { MathSeries, MathValue } from './types.ts';

/** An evaluated argument: a value, or a bare keyword / quoted string that only some functions take. */
export type Arg = MathValue | { kind: 'keyword'; name: Keyword } | { kind: 'string'; value: string };

export type Scalar = Extract<MathValue, { kind: 'scalar' }>;
export type Series = Extract<MathValue, { kind: 'series' }>;
export type SeriesArray = Extract<MathValue, { kind: 'array' }>;

export const scalar = (value: number): Scalar => ({ kind: 'scalar', value: value + 0 });
export const series = (s: MathSeries): Series => ({ kind: 'series', series: s });
export const array = (list: MathSeries[]): SeriesArray => ({ kind: 'array', series: list });

/** The doc's name for the type of an argument. */
export function typeName(a: Arg): string {
  switch (a.kind) {
    case 'scalar':
      return 'a scalar (S)';
    case 'series':
      return 'a time series (TS)';
    case 'array':
      return 'an array of time series (TS[])';
    case 'keyword':
      return `the keyword ${a.name}`;
    case 'string':
      return 'a string';
  }
}

export function wrongType(fn: string, position: number, a: Arg, accepted: string): MetricMathError {
  return new MetricMathError(`Argument ${position} of ${fn} must be ${accepted}, but it is ${typeName(a)}.`);
}

export function expectScalar(fn: string, position: number, a: Arg): number {
  if (a.kind !== 'scalar') throw wrongType(fn, position, a, 'a scalar (S)');
  return a.value;
}

export function expectSeries(fn: string, position: number, a: Arg): MathSeries {
  if (a.kind !== 'series') throw wrongType(fn, position, a, 'a time series (TS)');
  return a.series;
}

export function expectArray(fn: string, position: number, a: Arg): MathSeries[] {
  if (a.kind !== 'array') throw wrongType(fn, position, a, 'an array of time series (TS[])');
  return a.series;
}

export function expectSeriesOrArray(fn: string, position: number, a: Arg): Series | SeriesArray {
  if (a.kind !== 'series' && a.kind !== 'array') throw wrongType(fn, position, a, 'a time series (TS) or an array of time series (TS[])');
  return a;
}

/** A value usable in arithmetic (not a keyword or string). */
export function expectValue(what: string, a: Arg): MathValue {
  if (a.kind === 'keyword' || a.kind === 'string') {
    throw new MetricMathError(`${typeName(a)[0]!.toUpperCase()}${typeName(a).slice(1)} cannot be used in ${what}; it is only valid as a function argument.`);
  }
  return a;
}
