/** Shared by the unit tests of this folder: evaluate an expression over a few literal series. */
import { evaluate } from './evaluate.ts';
import { parseExpression } from './parse.ts';
import type { MathContext, MathSeries, MathValue } from './types.ts';

export const MINUTE = 60_000;
export const T0 = Date.parse('2024-01-01T00:00:00Z');

export interface RunOptions {
  period?: number;
  timestamps?: number[];
  expressions?: Record<string, MathValue>;
  metricPeriods?: Record<string, number>;
  search?: MathContext['search'];
  band?: MathContext['band'];
  insightRule?: MathContext['insightRule'];
}

export function context(metrics: Record<string, (number | null)[]>, opts: RunOptions = {}): MathContext {
  const length = Object.values(metrics)[0]?.length ?? opts.timestamps?.length ?? 3;
  const period = opts.period ?? 60;
  const map = new Map<string, MathValue>();
  for (const [id, values] of Object.entries(metrics)) map.set(id, { kind: 'series', series: { id, label: `label ${id}`, values } });
  for (const [id, v] of Object.entries(opts.expressions ?? {})) map.set(id, v);
  return {
    timestamps: opts.timestamps ?? Array.from({ length }, (_, i) => T0 + i * period * 1000),
    period,
    metrics: map,
    expressionIds: new Set(Object.keys(opts.expressions ?? {})),
    ...(opts.metricPeriods ? { metricPeriods: new Map(Object.entries(opts.metricPeriods)) } : {}),
    ...(opts.search ? { search: opts.search } : {}),
    ...(opts.band ? { band: opts.band } : {}),
    ...(opts.insightRule ? { insightRule: opts.insightRule } : {}),
  };
}

export const run = (expression: string, metrics: Record<string, (number | null)[]>, opts: RunOptions = {}): Promise<MathValue> =>
  evaluate(parseExpression(expression), context(metrics, opts));

/** The values of a single-series result (fails on any other kind). */
export async function values(expression: string, metrics: Record<string, (number | null)[]>, opts: RunOptions = {}): Promise<(number | null)[]> {
  const v = await run(expression, metrics, opts);
  if (v.kind !== 'series') throw new Error(`${expression}: expected a time series, got ${v.kind}`);
  return v.series.values;
}

/** The series of an array result (fails on any other kind). */
export async function arrayOf(expression: string, metrics: Record<string, (number | null)[]>, opts: RunOptions = {}): Promise<MathSeries[]> {
  const v = await run(expression, metrics, opts);
  if (v.kind !== 'array') throw new Error(`${expression}: expected an array of time series, got ${v.kind}`);
  return v.series;
}

/** The value of a scalar result (fails on any other kind). */
export async function scalarOf(expression: string, metrics: Record<string, (number | null)[]>, opts: RunOptions = {}): Promise<number> {
  const v = await run(expression, metrics, opts);
  if (v.kind !== 'scalar') throw new Error(`${expression}: expected a scalar, got ${v.kind}`);
  return v.value;
}
