/**
 * Access to the other queries of the request: ids, METRICS() and PERIOD().
 *
 * - An id evaluates to that query's result. A series gets the id when it has none, so that arrays
 *   built from ids ([m1, m2]) can be told apart.
 * - METRICS() "returns all the metrics in the request. Math expressions aren't included", in
 *   request order; METRICS("errors") keeps those whose Id contains "errors" (case-sensitive).
 * - PERIOD(m1) "returns the period of the metric in seconds. Valid input is metrics, not the results
 *   of other expressions."
 */
import type { Expr } from '../ast.ts';
import { MetricMathError } from '../errors.ts';
import type { MathContext, MathSeries, MathValue } from '../types.ts';
import { array, scalar, wrongType, type Arg } from '../values.ts';

export function lookupId(id: string, ctx: MathContext): MathValue {
  const v = ctx.metrics.get(id);
  if (v === undefined) {
    throw new MetricMathError(`Unrecognized Id '${id}': the expression refers to an Id that is not the Id of another query in the request.`);
  }
  checkAligned(v.kind === 'series' ? [v.series] : v.kind === 'array' ? v.series : [], ctx, `Id '${id}'`);
  return v.kind === 'series' && v.series.id === undefined ? { kind: 'series', series: { ...v.series, id } } : v;
}

/** Every series must have one value per timestamp of the grid: a caller bug otherwise. */
export function checkAligned(list: readonly MathSeries[], ctx: MathContext, what: string): void {
  const bad = list.find((s) => s.values.length !== ctx.timestamps.length);
  if (bad) throw new Error(`metric math: ${what} has ${bad.values.length} values for ${ctx.timestamps.length} timestamps; align series before evaluating`);
}

export function metrics(args: Arg[], ctx: MathContext): MathValue {
  const filter = args[0];
  if (filter !== undefined && filter.kind !== 'string') throw wrongType('METRICS', 1, filter, 'a string, as in METRICS("errors")');
  const out: MathSeries[] = [];
  for (const [id, v] of ctx.metrics) {
    if (ctx.expressionIds?.has(id)) continue;
    if (filter !== undefined && !id.includes(filter.value)) continue;
    if (v.kind === 'series') out.push(v.series.id === undefined ? { ...v.series, id } : v.series);
    else if (v.kind === 'array') out.push(...v.series);
  }
  return array(out);
}

export function period(arg: Expr, ctx: MathContext): MathValue {
  if (arg.kind !== 'id') throw new MetricMathError('PERIOD takes the Id of a metric, as in m1/PERIOD(m1); it does not accept other expressions.');
  lookupId(arg.name, ctx);
  if (ctx.expressionIds?.has(arg.name)) {
    throw new MetricMathError(`PERIOD takes the Id of a metric, but '${arg.name}' is the Id of a math expression.`);
  }
  return scalar(ctx.metricPeriods?.get(arg.name) ?? ctx.period);
}
