/**
 * Aggregate functions, Trino name → ClickHouse. Trino's sum/avg/min/max/… of no (non-NULL) rows is
 * NULL where ClickHouse's plain functions return 0, hence the -OrNull forms.
 */
import { arity, compiledArgs, type Call } from './call.ts';
import { fail } from './errors.ts';
import { isInteger, type Typed } from './types.ts';

type AggregateCompiler = (call: Call, args: Typed[]) => Typed;

const plain = (fn: string, type: (arg: Typed) => string, min = 1, max = min): AggregateCompiler => (call, args) => {
  arity(call, min, max);
  return { sql: `${fn}(${call.distinct ? 'DISTINCT ' : ''}${args.map((a) => a.sql).join(', ')})`, type: type(args[0]!) };
};
const double = () => 'double';
const same = (a: Typed) => a.type;

/** approx_percentile(x, p) and approx_percentile(x, ARRAY[p…]): the percentile(s) must be constants in [0, 1]. */
const approxPercentile: AggregateCompiler = (call, args) => {
  arity(call, 2);
  const p = call.args[1];
  const levels = p?.type === 'array' ? (p.expr_list?.value ?? []) : [p];
  const values = levels.map((l: unknown) => percentileLevel(call, l));
  if (p?.type === 'array') return { sql: `quantiles(${values.join(', ')})(${args[0]!.sql})`, type: 'array(double)' };
  return { sql: `quantileOrNull(${values[0]})(${args[0]!.sql})`, type: isInteger(args[0]!.type) ? 'double' : args[0]!.type };
};

function percentileLevel(call: Call, node: { type?: string; value?: unknown } | unknown): string {
  const n = node as { type?: string; value?: unknown };
  const v = Number(n?.value);
  if (n?.type !== 'number' || !(v >= 0 && v <= 1)) fail('NOT_SUPPORTED', call.node, `${call.name}() percentile must be a constant between 0 and 1`);
  return String(v);
}

const countFn: AggregateCompiler = (call, args) => {
  const star = call.args.length === 1 && call.args[0]?.type === 'star';
  if (star || call.args.length === 0) return { sql: 'count()', type: 'bigint' };
  arity(call, 1);
  return { sql: call.distinct ? `uniqExact(${args[0]!.sql})` : `count(${args[0]!.sql})`, type: 'bigint' };
};

const AGGREGATES: Record<string, AggregateCompiler> = {
  count: countFn,
  sum: plain('sumOrNull', (a) => (isInteger(a.type) ? 'bigint' : 'double')),
  avg: plain('avgOrNull', double),
  min: plain('minOrNull', same),
  max: plain('maxOrNull', same),
  approx_distinct: (call, args) => { arity(call, 1, 2); return { sql: `uniq(${args[0]!.sql})`, type: 'bigint' }; },
  approx_percentile: approxPercentile,
  arbitrary: plain('any', same),
  any_value: plain('any', same),
  count_if: plain('countIf', () => 'bigint'),
  max_by: plain('argMaxOrNull', same, 2),
  min_by: plain('argMinOrNull', same, 2),
  array_agg: plain('groupArray', (a) => `array(${a.type})`),
  bool_and: (call, args) => { arity(call, 1); return { sql: `toBool(minOrNull(toUInt8(${args[0]!.sql})))`, type: 'boolean' }; },
  bool_or: (call, args) => { arity(call, 1); return { sql: `toBool(maxOrNull(toUInt8(${args[0]!.sql})))`, type: 'boolean' }; },
  stddev: plain('stddevSampOrNull', double),
  stddev_samp: plain('stddevSampOrNull', double),
  stddev_pop: plain('stddevPopOrNull', double),
  variance: plain('varSampOrNull', double),
  var_samp: plain('varSampOrNull', double),
  var_pop: plain('varPopOrNull', double),
};
AGGREGATES.every = AGGREGATES.bool_and!;

const DISTINCT_OK = new Set(['count', 'sum', 'avg', 'min', 'max', 'array_agg']);

export const isAggregateName = (name: string): boolean => Object.hasOwn(AGGREGATES, name);

/**
 * The aggregate `call` (FUNCTION_NOT_FOUND when its name is not one, e.g. `f() OVER (…)`). With a
 * FILTER condition, arguments are NULL on rows it does not accept, which every aggregate here
 * skips; count(*) becomes countIf.
 */
export function compileAggregate(call: Call, filter?: Typed): Typed {
  const compile = Object.hasOwn(AGGREGATES, call.name) ? AGGREGATES[call.name] : undefined;
  if (!compile) return fail('FUNCTION_NOT_FOUND', call.node, `Function '${call.name}' not registered`);
  if (call.distinct && !DISTINCT_OK.has(call.name)) fail('NOT_SUPPORTED', call.node, `${call.name}(DISTINCT …) is not supported`);
  const star = call.args.length === 0 || (call.args.length === 1 && call.args[0]?.type === 'star');
  if (filter && star && call.name === 'count') return { sql: `countIf(${filter.sql})`, type: 'bigint' };
  const args = star ? [] : compiledArgs(call).map((a) => (filter ? { sql: `if(${filter.sql}, ${a.sql}, NULL)`, type: a.type } : a));
  return compile(call, args);
}
