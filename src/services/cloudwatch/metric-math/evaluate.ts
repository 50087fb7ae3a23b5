/**
 * Evaluates a parsed metric math expression over series already aligned to one timestamp grid.
 * Pure: no I/O except the SEARCH resolver the caller passes in the context.
 *
 * Semantic choices (AWS doc "Using math expressions with CloudWatch metrics"; the details and the
 * quotes live next to each function family in functions/*.ts):
 *
 * - Values are S (scalar), TS (series) or TS[] (array). A TS is `(number | null)[]` on
 *   `ctx.timestamps`; null is "no datapoint".
 * - Missing values count as 0 when two series meet (arithmetic, comparisons, logical operators,
 *   AVG/SUM/MIN/MAX/STDDEV of an array), on the union of the timestamps where either has data.
 *   A series meeting a scalar keeps its gaps.
 * - Division by zero drops the datapoint; so does any other non-finite result (LOG(0), 0^-1).
 * - Comparisons and AND/OR give 0 or 1; any non-zero value is true. NOT is not a metric math
 *   operator (the doc lists AND, &&, OR, || only).
 * - AVG/MAX/MIN/SUM/STDDEV/DATAPOINT_COUNT: of a TS → S over its datapoints; of a TS[] → TS.
 *   STDDEV is the sample deviation (n − 1): undocumented, chosen to match the reference vectors.
 * - RATE/DIFF/DIFF_TIME use the previous existing datapoint; the first datapoint and the gaps give
 *   no datapoint (undocumented; as the vectors assume). RUNNING_SUM keeps the gaps.
 * - FILL REPEAT/LINEAR leave gaps before the first (and for LINEAR after the last) datapoint:
 *   undocumented, there is nothing to repeat or interpolate from.
 * - Date functions are UTC; DAY is 1 = Monday … 7 = Sunday; EPOCH is in seconds.
 * - Labels: the caller labels top-level results. Functions on a TS or TS[] keep each input series'
 *   id and label (so SORT/SLICE/METRICS()*100 results still say which metric each series is);
 *   reductions of an array get an empty label.
 * - The final result of a query must be a TS or TS[] ("Using a function that returns only a scalar
 *   number is not valid"): `evaluate` returns whatever the expression gives, and
 *   `requireTimeSeries` is the check for top-level results (AWS's message is undocumented).
 * - ANOMALY_DETECTION_BAND asks the context's band resolver (functions/band.ts).
 * - INSIGHT_RULE_METRIC asks the context's Contributor Insights resolver (functions/insight-rule.ts).
 * - SERVICE_QUOTA, LAMBDA and DB_PERF_INSIGHTS are errors that say they are not supported.
 */
import type { Expr } from './ast.ts';
import { MetricMathError } from './errors.ts';
import { anomalyBand } from './functions/band.ts';
import { insightRuleMetric } from './functions/insight-rule.ts';
import { aggregate, datapointCount, metricCount } from './functions/aggregate.ts';
import { firstOrLast, removeEmpty, slice, sort } from './functions/arrays.ts';
import { ifThen } from './functions/conditional.ts';
import { fill } from './functions/fill.ts';
import { checkAligned, lookupId, metrics, period } from './functions/metrics.ts';
import { binary, negate } from './functions/operators.ts';
import { pointwise } from './functions/pointwise.ts';
import { sequence } from './functions/sequence.ts';
import { datePart, timeSeries } from './functions/time.ts';
import { unsupported } from './functions/unsupported.ts';
import type { MathContext, MathSeries, MathValue } from './types.ts';
import { array, expectValue, typeName, wrongType, type Arg } from './values.ts';

type Impl = (args: Arg[], ctx: MathContext) => MathValue | Promise<MathValue>;

const n = (ctx: MathContext): number => ctx.timestamps.length;

const FUNCTIONS: Readonly<Record<string, Impl>> = {
  ABS: ([a]) => pointwise('ABS', a!),
  CEIL: ([a]) => pointwise('CEIL', a!),
  FLOOR: ([a]) => pointwise('FLOOR', a!),
  LOG: ([a]) => pointwise('LOG', a!),
  LOG10: ([a]) => pointwise('LOG10', a!),
  AVG: ([a], ctx) => aggregate('AVG', a!, n(ctx)),
  MAX: ([a], ctx) => aggregate('MAX', a!, n(ctx)),
  MIN: ([a], ctx) => aggregate('MIN', a!, n(ctx)),
  SUM: ([a], ctx) => aggregate('SUM', a!, n(ctx)),
  STDDEV: ([a], ctx) => aggregate('STDDEV', a!, n(ctx)),
  DATAPOINT_COUNT: ([a], ctx) => datapointCount(a!, n(ctx)),
  METRIC_COUNT: ([a]) => metricCount(a!),
  METRICS: (args, ctx) => metrics(args, ctx),
  RATE: ([a], ctx) => sequence('RATE', a!, ctx.timestamps),
  DIFF: ([a], ctx) => sequence('DIFF', a!, ctx.timestamps),
  DIFF_TIME: ([a], ctx) => sequence('DIFF_TIME', a!, ctx.timestamps),
  RUNNING_SUM: ([a], ctx) => sequence('RUNNING_SUM', a!, ctx.timestamps),
  FILL: ([a, b], ctx) => fill(a!, b!, ctx.timestamps),
  IF: (args, ctx) => ifThen(args, n(ctx)),
  INSIGHT_RULE_METRIC: (args, ctx) => insightRuleMetric(args, ctx),
  SORT: (args) => sort(args),
  SLICE: (args) => slice(args),
  FIRST: ([a], ctx) => firstOrLast('FIRST', a!, n(ctx)),
  LAST: ([a], ctx) => firstOrLast('LAST', a!, n(ctx)),
  REMOVE_EMPTY: ([a]) => removeEmpty(a!),
  TIME_SERIES: ([a], ctx) => timeSeries(a!, n(ctx)),
  MINUTE: ([a], ctx) => datePart('MINUTE', a!, ctx.timestamps),
  HOUR: ([a], ctx) => datePart('HOUR', a!, ctx.timestamps),
  DAY: ([a], ctx) => datePart('DAY', a!, ctx.timestamps),
  DATE: ([a], ctx) => datePart('DATE', a!, ctx.timestamps),
  MONTH: ([a], ctx) => datePart('MONTH', a!, ctx.timestamps),
  YEAR: ([a], ctx) => datePart('YEAR', a!, ctx.timestamps),
  EPOCH: ([a], ctx) => datePart('EPOCH', a!, ctx.timestamps),
};

export async function evaluate(expr: Expr, ctx: MathContext): Promise<MathValue> {
  return expectValue('an expression result', await evalArg(expr, ctx));
}

/** Throws unless a top-level result is a TS or TS[]; returns the series. */
export function requireTimeSeries(v: MathValue): MathSeries[] {
  if (v.kind === 'scalar') {
    throw new MetricMathError(
      'The final result of a math expression must be a time series or an array of time series, but this expression gives a single number. ' +
        'Use it inside a larger expression, such as m1-AVG(m1) or TIME_SERIES(AVG(m1)).',
    );
  }
  return v.kind === 'series' ? [v.series] : v.series;
}

async function evalArg(expr: Expr, ctx: MathContext): Promise<Arg> {
  switch (expr.kind) {
    case 'number':
      return { kind: 'scalar', value: expr.value };
    case 'string':
      return { kind: 'string', value: expr.value };
    case 'keyword':
      return { kind: 'keyword', name: expr.name };
    case 'id':
      return lookupId(expr.name, ctx);
    case 'array':
      return arrayLiteral(expr.items, ctx);
    case 'negate':
      return negate(expectValue('unary -', await evalArg(expr.operand, ctx)));
    case 'binary': {
      const left = expectValue(`the operator ${expr.op}`, await evalArg(expr.left, ctx));
      const right = expectValue(`the operator ${expr.op}`, await evalArg(expr.right, ctx));
      return binary(expr.op, left, right);
    }
    case 'call': {
      if (expr.name === 'PERIOD') return period(expr.args[0]!, ctx);
      if (expr.name === 'ANOMALY_DETECTION_BAND') {
        const k = expr.args[1] && expectValue('ANOMALY_DETECTION_BAND', await evalArg(expr.args[1], ctx));
        return anomalyBand(expr.args, k, ctx);
      }
      const impl = FUNCTIONS[expr.name];
      if (impl === undefined) throw new MetricMathError(`Unrecognized function '${expr.name}'.`);
      const args: Arg[] = [];
      for (const a of expr.args) args.push(await evalArg(a, ctx));
      return impl(args, ctx);
    }
    case 'search': {
      if (ctx.search === undefined) throw new MetricMathError('SEARCH is not available for this request.');
      const found = await ctx.search({ query: expr.query, statistic: expr.statistic, period: expr.period ?? ctx.period });
      checkAligned(found, ctx, 'a SEARCH result');
      return array(found);
    }
    case 'unsupported':
      return unsupported(expr.name);
  }
}

/** `[a, b, …]`: each item a TS or a TS[] (flattened, as in SUM([METRICS("4xx"), METRICS("5xx")])). */
async function arrayLiteral(items: Expr[], ctx: MathContext): Promise<MathValue> {
  const out: MathSeries[] = [];
  for (const [i, item] of items.entries()) {
    const v = await evalArg(item, ctx);
    if (v.kind === 'series') out.push(v.series);
    else if (v.kind === 'array') out.push(...v.series);
    else throw wrongType('[ ]', i + 1, v, `a time series or an array of time series (an array cannot hold ${typeName(v)})`);
  }
  return array(out);
}
